package io.agentwatch.sink.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionTrackerTest {
    private static final TopicPartition TP = new TopicPartition("agent.alerts", 0);

    @Test
    void shouldCommitTheNextOffsetWhenNothingIsOwed() {
        PartitionTracker t = new PartitionTracker(TP, ReplayMarks.NONE);
        t.read(0);
        t.read(1);

        assertThat(t.toCommit()).isEqualTo(new OffsetAndMetadata(2, "aw1;hi=2"));
    }

    @Test
    void shouldCommitOnlyUpToTheLowestOffsetStillOwedByAnyReceiver() {
        PartitionTracker t = new PartitionTracker(TP, ReplayMarks.NONE);
        t.owe(5, "digest");
        t.read(5);
        t.owe(6, "pager");
        t.read(6);
        t.read(7);

        assertThat(t.toCommit().offset()).isEqualTo(5);
        assertThat(ReplayMarks.decode(t.toCommit().metadata()).marks()).isEqualTo(Map.of("digest", 5L, "pager", 6L));

        t.done(5, "digest");
        assertThat(t.toCommit().offset()).isEqualTo(6);
        t.done(6, "pager");
        assertThat(t.toCommit()).isEqualTo(new OffsetAndMetadata(8, "aw1;hi=8"));
    }

    @Test
    void shouldNeedEveryRouteToTheSameReceiverDone() {
        PartitionTracker t = new PartitionTracker(TP, ReplayMarks.NONE);
        t.owe(0, "chat");
        t.owe(0, "chat");
        t.read(0);

        t.done(0, "chat");
        assertThat(t.toCommit().offset()).isEqualTo(0);
        t.done(0, "chat");
        assertThat(t.toCommit().offset()).isEqualTo(1);
    }

    @Test
    void shouldOweOnAReplayOnlyWhatTheReceiverHadNotFinished() {
        ReplayMarks marks = ReplayMarks.decode("aw1;hi=150;digest=100;chat=120");

        assertThat(marks.owed(100, "digest")).isTrue();
        assertThat(marks.owed(99, "digest")).isFalse();
        assertThat(marks.owed(110, "chat")).isFalse();
        assertThat(marks.owed(120, "chat")).isTrue();
        assertThat(marks.owed(149, "pager")).as("a receiver without a mark had finished everything below hi").isFalse();
        assertThat(marks.owed(150, "pager")).isTrue();
    }

    @Test
    void shouldDeliverEverythingAgainWhenTheMetadataIsMissingOrForeign() {
        assertThat(ReplayMarks.decode(null).owed(0, "pager")).isTrue();
        assertThat(ReplayMarks.decode("").owed(0, "pager")).isTrue();
        assertThat(ReplayMarks.decode("something else").owed(0, "pager")).isTrue();
        assertThat(ReplayMarks.decode("aw1;hi=x").owed(0, "pager")).isTrue();
    }

    @Test
    void shouldKeepThePreviousRunsMarksWhileReplayingBelowItsHighWaterMark() {
        PartitionTracker t = new PartitionTracker(TP, ReplayMarks.decode("aw1;hi=150;digest=100"));
        t.owe(100, "digest");
        t.read(100);
        t.read(101);

        OffsetAndMetadata c = t.toCommit();

        assertThat(c.offset()).isEqualTo(100);
        ReplayMarks again = ReplayMarks.decode(c.metadata());
        assertThat(again.hi()).isEqualTo(150);
        assertThat(again.owed(100, "digest")).isTrue();
        assertThat(again.owed(130, "digest")).as("still owed from the first run").isTrue();
        assertThat(again.owed(130, "pager")).isFalse();
    }

    @Test
    void shouldNotCommitAgainWhenNothingChanged() {
        PartitionTracker t = new PartitionTracker(TP, ReplayMarks.NONE);
        assertThat(t.toCommit()).as("nothing read yet").isNull();
        t.read(0);
        t.committed(t.toCommit());

        assertThat(t.toCommit()).isNull();
    }
}
