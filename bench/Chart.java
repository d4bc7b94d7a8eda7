import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * Draws docs/performance-throughput.png from bench/results/latest.csv (written by relay-vs-postfix.sh):
 * end-to-end messages per second against SMTP sessions, Postern and Postfix, from the sweep cases
 * (2 KB, one recipient, a new connection per message). A single-file program with no dependencies:
 *
 * <pre>java bench/Chart.java bench/results/latest.csv docs/performance-throughput.png</pre>
 */
public class Chart {

    private static final int W = 900;
    private static final int H = 540;
    private static final int LEFT = 90;
    private static final int RIGHT = 40;
    private static final int TOP = 70;
    private static final int BOTTOM = 80;
    private static final Color POSTERN = new Color(0x1f, 0x77, 0xb4);
    private static final Color POSTFIX = new Color(0xd6, 0x27, 0x28);

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java bench/Chart.java LATEST_CSV OUTPUT_PNG");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        List<String> header = Arrays.asList(lines.get(0).split(","));
        int caseCol = header.indexOf("case");
        int sessionsCol = header.indexOf("sessions");
        int posternCol = header.indexOf("postern_msgs_per_s");
        int postfixCol = header.indexOf("postfix_msgs_per_s");
        Map<Integer, double[]> points = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (!f[caseCol].startsWith("sweep")) {
                continue;
            }
            points.put(Integer.parseInt(f[sessionsCol]), new double[] {number(f[posternCol]), number(f[postfixCol])});
        }
        if (points.isEmpty()) {
            System.err.println("no sweep rows in " + args[0] + " (run relay-vs-postfix.sh with the sweep case)");
            System.exit(1);
        }
        String subtitle = lines.size() > 1 ? subtitle(Path.of(args[0])) : "";
        ImageIO.write(draw(points, subtitle), "png", Path.of(args[1]).toFile());
        System.out.println("wrote " + args[1] + " (" + points.size() + " session counts)");
    }

    private static double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN; // "na": that relay was not measured
        }
    }

    /** The date and machine line of latest.md next to the CSV, when it is there. */
    private static String subtitle(Path csv) throws IOException {
        Path md = csv.resolveSibling("latest.md");
        if (!Files.exists(md)) {
            return "";
        }
        String first = Files.readAllLines(md).get(0);
        int comma = first.indexOf(", ");
        int paren = first.indexOf(" (");
        return comma > 0 && paren > comma ? first.substring(0, paren) : first;
    }

    private static BufferedImage draw(Map<Integer, double[]> points, String subtitle) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);

        double max = 0;
        for (double[] v : points.values()) {
            for (double x : v) {
                if (!Double.isNaN(x)) {
                    max = Math.max(max, x);
                }
            }
        }
        double step = niceStep(max / 5);
        double top = Math.ceil(max / step) * step;
        List<Integer> sessions = new ArrayList<>(points.keySet());
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString("Relay throughput, end to end, fsync on (2 KB messages)", LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(subtitle, LEFT, 50);

        // grid and y axis
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (double y = 0; y <= top + 1e-9; y += step) {
            int py = TOP + plotH - (int) Math.round(y / top * plotH);
            g.setColor(new Color(0xe0, 0xe0, 0xe0));
            g.drawLine(LEFT, py, LEFT + plotW, py);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%.0f", y);
            g.drawString(label, LEFT - 10 - g.getFontMetrics().stringWidth(label), py + 4);
        }
        g.setColor(Color.BLACK);
        g.drawLine(LEFT, TOP, LEFT, TOP + plotH);
        g.drawLine(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH);
        // x axis: sessions, evenly spaced (the sweep is roughly geometric)
        for (int i = 0; i < sessions.size(); i++) {
            int px = x(i, sessions.size(), plotW);
            String label = Integer.toString(sessions.get(i));
            g.drawLine(px, TOP + plotH, px, TOP + plotH + 5);
            g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, TOP + plotH + 20);
        }
        g.drawString("concurrent SMTP sessions (smtp-source -s)", LEFT + plotW / 2 - 120, H - 35);
        Graphics2D r = (Graphics2D) g.create();
        r.rotate(-Math.PI / 2);
        r.drawString("messages / s (median of the runs)", -(TOP + plotH / 2 + 100), 25);
        r.dispose();

        series(g, points, sessions, 0, top, plotW, plotH, POSTERN);
        series(g, points, sessions, 1, top, plotW, plotH, POSTFIX);

        // legend
        int lx = LEFT + 20;
        int ly = TOP + 15;
        legend(g, lx, ly, POSTERN, "Postern");
        legend(g, lx, ly + 20, POSTFIX, "Postfix");
        g.dispose();
        return img;
    }

    private static void series(Graphics2D g, Map<Integer, double[]> points, List<Integer> sessions, int which,
            double top, int plotW, int plotH, Color color) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2.5f));
        Path2D line = new Path2D.Double();
        boolean started = false;
        for (int i = 0; i < sessions.size(); i++) {
            double v = points.get(sessions.get(i))[which];
            if (Double.isNaN(v)) {
                continue;
            }
            int px = x(i, sessions.size(), plotW);
            int py = TOP + plotH - (int) Math.round(v / top * plotH);
            if (started) {
                line.lineTo(px, py);
            } else {
                line.moveTo(px, py);
                started = true;
            }
            g.fillOval(px - 4, py - 4, 8, 8);
            // The lower of the two values at a point is labelled below it, so close values stay legible.
            double other = points.get(sessions.get(i))[1 - which];
            boolean below = !Double.isNaN(other) && (v < other || (v == other && which == 1));
            g.drawString(String.format(Locale.ROOT, "%.0f", v), px + 6, below ? py + 18 : py - 6);
        }
        g.draw(line);
        g.setStroke(new BasicStroke(1f));
    }

    private static void legend(Graphics2D g, int x, int y, Color color, String name) {
        g.setColor(color);
        g.fillRect(x, y - 9, 18, 10);
        g.setColor(Color.BLACK);
        g.drawString(name, x + 26, y);
    }

    private static int x(int i, int n, int plotW) {
        return LEFT + (n == 1 ? plotW / 2 : 30 + (int) Math.round(i * (plotW - 60.0) / (n - 1)));
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    private static double niceStep(double raw) {
        if (raw <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
