package io.agentwatch.reliability.io;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws the soak's memory plot with java.awt, headless: resident memory over time (blue), RocksDB's budget in use
 * (orange), the configured bound (red, dashed), the heap maximum (grey, dashed), the end of the warm-up (vertical line) and the fitted trend over
 * the samples after it (green), with the figures in the title.
 */
final class MemoryPlot {
    private static final int W = 1000;
    private static final int H = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 80;
    private static final int BOTTOM = 60;

    private MemoryPlot() {
    }

    static void write(Path file, List<MemorySamples.Sample> samples, long boundBytes, long heapBytes, double warmupSeconds, double[] trend,
                      String title) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        double maxX = Math.max(1, samples.get(samples.size() - 1).seconds());
        double maxY = Math.max(boundBytes, samples.stream().mapToLong(MemorySamples.Sample::residentBytes).max().orElse(0)) * 1.1 / 1048576.0;
        // axes and grid
        g.setColor(new Color(230, 230, 230));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 10; i++) {
            int y = y(maxY * i / 10, maxY);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(LEFT, y, W - RIGHT, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.0f", maxY * i / 10), 10, y + 4);
            int x = x(maxX * i / 10, maxX);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(x, TOP, x, H - BOTTOM);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.0f", maxX * i / 10), x - 10, H - BOTTOM + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
        g.drawString("resident memory of the processor (MiB)", 10, TOP - 8);
        g.drawString("seconds since the load started", W / 2 - 90, H - 15);
        // bound and heap
        dashed(g, Color.RED, boundBytes / 1048576.0, maxY, "bound " + boundBytes / 1048576 + " MiB (heap + RocksDB + JVM allowance)");
        dashed(g, Color.GRAY, heapBytes / 1048576.0, maxY, "heap -Xmx " + heapBytes / 1048576 + " MiB");
        // warm-up
        g.setColor(new Color(150, 100, 0));
        int wx = x(warmupSeconds, maxX);
        g.drawLine(wx, TOP, wx, H - BOTTOM);
        g.drawString("end of warm-up", wx + 4, TOP + 14);
        // samples
        g.setColor(new Color(30, 90, 200));
        g.setStroke(new BasicStroke(2f));
        for (int i = 1; i < samples.size(); i++) {
            MemorySamples.Sample a = samples.get(i - 1);
            MemorySamples.Sample b = samples.get(i);
            g.drawLine(x(a.seconds(), maxX), y(a.residentBytes() / 1048576.0, maxY), x(b.seconds(), maxX), y(b.residentBytes() / 1048576.0, maxY));
        }
        // RocksDB's budget in use, on the same scale
        g.setColor(new Color(200, 90, 0));
        g.setStroke(new BasicStroke(1.5f));
        for (int i = 1; i < samples.size(); i++) {
            MemorySamples.Sample a = samples.get(i - 1);
            MemorySamples.Sample b = samples.get(i);
            if (a.rocksDbBytes() >= 0 && b.rocksDbBytes() >= 0) {
                g.drawLine(x(a.seconds(), maxX), y(a.rocksDbBytes() / 1048576.0, maxY), x(b.seconds(), maxX), y(b.rocksDbBytes() / 1048576.0, maxY));
            }
        }
        // trend after warm-up
        g.setColor(new Color(0, 150, 0));
        g.setStroke(new BasicStroke(2.5f));
        double y0 = (trend[0] + trend[1] * warmupSeconds) / 1048576.0;
        double y1 = (trend[0] + trend[1] * maxX) / 1048576.0;
        g.drawLine(wx, y(y0, maxY), x(maxX, maxX), y(y1, maxY));
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, LEFT, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(String.format(Locale.ROOT, "trend after warm-up: %+.2f MiB/min (green); resident memory blue, RocksDB budget in use orange",
                trend[1] * 60 / 1048576.0), LEFT, 48);
        g.dispose();
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void dashed(Graphics2D g, Color color, double value, double maxY, String label) {
        g.setColor(color);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
        int y = y(value, maxY);
        g.drawLine(LEFT, y, W - RIGHT, y);
        g.setStroke(new BasicStroke(1f));
        g.drawString(label, LEFT + 8, y - 4);
    }

    private static int x(double seconds, double maxX) {
        return LEFT + (int) Math.round(seconds / maxX * (W - LEFT - RIGHT));
    }

    private static int y(double mib, double maxY) {
        return H - BOTTOM - (int) Math.round(mib / maxY * (H - TOP - BOTTOM));
    }
}
