package org.l1net.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Watches the JVMs of a cluster run through Linux's /proc while it runs: each process's peak resident set
 * (VmHWM), the peak of their summed resident sets, and every address a listening socket of theirs is bound
 * to. The process set is asked for again on every sample, so executors that come and go are seen too.
 */
final class ProcessWatch implements AutoCloseable {
    private static final long SAMPLE_MILLIS = 200;
    private static final int SOCKET_SAMPLE_EVERY = 10;

    /** One listening socket: the role of its process and the address it is bound to. */
    record Listener(String role, long pid, InetAddress address, int port) {
        boolean loopback() {
            return address.isLoopbackAddress();
        }

        @Override
        public String toString() {
            return role + " (pid " + pid + ") " + address.getHostAddress() + ":" + port;
        }
    }

    private final Supplier<Map<Long, String>> processes;
    private final Map<Long, String> roles = new ConcurrentHashMap<>();
    private final Map<Long, Long> peakKb = new ConcurrentHashMap<>();
    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakTotalKb;

    /** @param processes the processes to watch now, PID to role ("master", "executor 0 (worker-1)"...) */
    ProcessWatch(Supplier<Map<Long, String>> processes) {
        this.processes = processes;
        this.thread = new Thread(this::loop, "process-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        for (long tick = 0; running; tick++) {
            sample(tick % SOCKET_SAMPLE_EVERY == 0);
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample(boolean sockets) {
        Map<Long, String> now;
        try {
            now = processes.get();
        } catch (RuntimeException e) {
            return; // a process ended while it was listed; the next sample sees the new set
        }
        long totalKb = 0;
        for (Map.Entry<Long, String> process : now.entrySet()) {
            long pid = process.getKey();
            Map<String, Long> status = status(pid);
            if (status.isEmpty()) {
                continue;
            }
            roles.put(pid, process.getValue());
            totalKb += status.getOrDefault("VmRSS", 0L);
            peakKb.merge(pid, status.getOrDefault("VmHWM", 0L), Math::max);
        }
        peakTotalKb = Math.max(peakTotalKb, totalKb);
        if (sockets) {
            Map<Long, String> inodeToAddress = listeningSockets();
            for (Map.Entry<Long, String> process : now.entrySet()) {
                for (long inode : socketInodes(process.getKey())) {
                    String address = inodeToAddress.get(inode);
                    if (address != null) {
                        Listener l = decode(process.getValue(), process.getKey(), address);
                        listeners.putIfAbsent(l.toString(), l);
                    }
                }
            }
        }
    }

    /** Peak resident set per process, in MiB, by role. */
    Map<String, Double> peakMibByRole() {
        Map<String, Double> peaks = new TreeMap<>();
        peakKb.forEach((pid, kb) -> peaks.put(roles.get(pid) + " (pid " + pid + ")", kb / 1024.0));
        return peaks;
    }

    /** The largest sum of the watched processes' resident sets seen at one instant, in MiB. */
    double peakTotalMib() {
        return peakTotalKb / 1024.0;
    }

    List<Listener> listeners() {
        return new ArrayList<>(listeners.values());
    }

    /** A table of the peaks, one process a line. */
    String report() {
        StringBuilder table = new StringBuilder();
        peakMibByRole().forEach((role, mib) -> table.append(String.format(Locale.ROOT, "  %-40s peak RSS %7.1f MiB%n", role, mib)));
        table.append(String.format(Locale.ROOT, "  %-40s          %7.1f MiB%n", "all at once (peak of the sum)", peakTotalMib()));
        return table.toString();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
        sample(true);
    }

    /** The kB fields of /proc/PID/status (VmRSS, VmHWM...); empty when the process is gone. */
    private static Map<String, Long> status(long pid) {
        Map<String, Long> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Vm") && line.endsWith(" kB")) {
                    int colon = line.indexOf(':');
                    values.put(line.substring(0, colon), Long.parseLong(line.substring(colon + 1, line.length() - 3).trim()));
                }
            }
        } catch (IOException | RuntimeException gone) {
            values.clear();
        }
        return values;
    }

    /** Inode to "HEXADDRESS:HEXPORT" for every listening TCP socket (state 0A) of /proc/net/tcp and tcp6. */
    private static Map<Long, String> listeningSockets() {
        Map<Long, String> sockets = new HashMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                List<String> lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(1, lines.size())) {
                    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[3].equals("0A")) {
                        sockets.put(Long.parseLong(f[9]), f[1]);
                    }
                }
            } catch (IOException noIpv6) {
                // A machine without IPv6 has no tcp6 table.
            }
        }
        return sockets;
    }

    private static List<Long> socketInodes(long pid) {
        List<Long> inodes = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException closed) {
                    // The descriptor was closed while we listed it.
                }
            });
        } catch (IOException | RuntimeException gone) {
            // The process ended.
        }
        return inodes;
    }

    /** /proc/net/tcp* write an address as 32-bit words in host (little-endian) byte order, then :port in hex. */
    static Listener decode(String role, long pid, String hexAddressAndPort) {
        int colon = hexAddressAndPort.indexOf(':');
        String hex = hexAddressAndPort.substring(0, colon);
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = word * 8 + (3 - b) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        try {
            return new Listener(role, pid, InetAddress.getByAddress(bytes),
                    Integer.parseInt(hexAddressAndPort.substring(colon + 1), 16));
        } catch (IOException e) {
            throw new IllegalStateException("Bad address in /proc/net/tcp: " + hexAddressAndPort, e);
        }
    }
}
