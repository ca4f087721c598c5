package io.agentwatch.processor.state;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store of the process, as the Kafka Streams memory-management guide
 * describes: one LRU block cache shared by all stores (index and filter blocks included) and one write buffer
 * manager that charges memtables to that cache. The budget is {@link #MEMORY_CONFIG} bytes, half of it for
 * memtables; without this each store would take its own cache and memtables, and memory would grow with the number
 * of tasks and stores.
 */
public final class BoundedMemoryRocksDb implements RocksDBConfigSetter {
    /** Streams config key carrying the total budget in bytes. */
    public static final String MEMORY_CONFIG = "agentwatch.rocksdb.memory.bytes";
    private static final double MEMTABLE_SHARE = 0.5;
    private static final double HIGH_PRIORITY_SHARE = 0.1;

    private static Cache cache;
    private static WriteBufferManager writeBufferManager;
    private static long configuredBytes;

    private static synchronized void init(long bytes) {
        if (cache != null) {
            if (bytes != configuredBytes) {
                throw new IllegalStateException("RocksDB memory is process-wide and already set to " + configuredBytes + " bytes");
            }
            return;
        }
        configuredBytes = bytes;
        cache = new LRUCache(bytes, -1, false, HIGH_PRIORITY_SHARE);
        writeBufferManager = new WriteBufferManager((long) (bytes * MEMTABLE_SHARE), cache);
    }

    /**
     * Bytes of the budget in use: blocks in the cache plus the memtables charged to it; -1 before the first store
     * opened. What RocksDB holds beyond it (table readers of open files, iterators' pinned blocks over the cache's
     * soft limit, allocator overhead) shows only in the process's resident memory.
     */
    public static synchronized long usedBytes() {
        return cache == null ? -1 : cache.getUsage();
    }

    /** Bytes of the cache pinned by open iterators and pinned index and filter blocks; -1 before the first store opened. */
    public static synchronized long pinnedBytes() {
        return cache == null ? -1 : cache.getPinnedUsage();
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object budget = configs.get(MEMORY_CONFIG);
        init(budget == null ? 256L << 20 : Long.parseLong(budget.toString()));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBufferManager);
        options.setMaxWriteBufferNumber(2);
        options.setWriteBufferSize(8L << 20);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write buffer manager are shared by every store of the process: never closed here
    }
}
