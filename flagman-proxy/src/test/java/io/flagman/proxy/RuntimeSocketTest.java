package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime socket on a running data plane with real upstreams, driven through a real unix socket the way
 * {@code socat} does: framing, levels, every server command and its effect on the next request.
 */
class RuntimeSocketTest {
    static final String HEADER = "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight"
            + " srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health"
            + " srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord"
            + " srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n";

    @TempDir
    Path dir;

    private final ProxyFixture proxy = new ProxyFixture();
    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private FakeBackend a;
    private FakeBackend b;
    private Path socket;

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        for (AutoCloseable c : closeLater) {
            c.close();
        }
    }

    private String config(String level, String extraServers) {
        return """
                global
                    stats socket %s mode 600 level %s
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 5s
                    timeout server 5s
                frontend fe
                    bind 127.0.0.1:1
                    default_backend be
                backend be
                    balance roundrobin
                    server a %s weight 10
                    server b %s weight 10
                %s""".formatted(socket, level, a.address(), b.address(), extraServers);
    }

    private void start(String level) throws Exception {
        start(level, "");
    }

    private void start(String level, String extra) throws Exception {
        a = new FakeBackend("a");
        b = new FakeBackend("b");
        closeLater.add(a);
        closeLater.add(b);
        socket = dir.resolve("flagman.sock");
        proxy.apply(config(level, extra));
    }

    private String cli(String text) throws Exception {
        return CliClient.exchange(socket, text);
    }

    /** The servers that answer {@code n} requests. */
    private Map<String, Integer> spread(int n) throws Exception {
        Map<String, Integer> seen = new TreeMap<>();
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            for (int i = 0; i < n; i++) {
                String who = c.get("/" + i, "x").header("x-backend");
                seen.merge(who, 1, Integer::sum);
            }
        }
        return seen;
    }

    /** The fields of server {@code name}'s line of show servers state. */
    private String[] stateOf(String name) throws Exception {
        String out = cli("show servers state\n");
        return out.lines().filter(l -> !l.startsWith("#") && l.split(" ").length > 3 && l.split(" ")[3].equals(name))
                .findFirst().map(l -> l.split(" ")).orElseThrow(() -> new AssertionError(name + " not in " + out));
    }

    // ---- framing ----

    @Test
    void nonInteractiveRunsTheFirstLineAndItsChainedCommandsThenCloses() throws Exception {
        start("admin");
        String version = io.flagman.proxy.runtime.ServerControl.class.getPackage().getImplementationVersion();
        String v = version != null ? version : "dev";
        assertThat(cli("show version;show cli level\n")).isEqualTo(v + "\n\nadmin\n\n");
        assertThat(cli("operator\nshow cli level\n")).isEqualTo("\n");
        assertThat(cli("\n")).isEqualTo("\n");
        assertThat(cli("echo a  b\\ c \\; d\n")).isEqualTo("a b c ; d\n\n");
        assertThat(cli("show cli level\r\n")).isEqualTo("admin\n\n");
    }

    @Test
    void promptModeKeepsTheConnectionAndPrintsThePromptAfterEachLine() throws Exception {
        start("admin");
        String v = cli("show version\n").strip();
        assertThat(cli("prompt\nshow version\nquit\n")).isEqualTo("\n> " + v + "\n\n> ");
        assertThat(cli("prompt i\nshow version\nquit\n")).isEqualTo("\n" + v + "\n\n");
        assertThat(cli("prompt\nshow version;show cli level\n" + "quit\n")).isEqualTo("\n> " + v + "\n\nadmin\n\n> ");
        try (CliClient c = CliClient.unix(socket)) {
            assertThat(c.send("prompt\n").readUntil("> ")).isEqualTo("\n> ");
            assertThat(c.send("operator\n").readUntil("> ")).isEqualTo("\n> ");
            assertThat(c.send("show cli level\n").readUntil("> ")).isEqualTo("operator\n\n> ");
            // a level is never raised again
            assertThat(c.send("set server be/a state drain\n").readUntil("> ")).isEqualTo("Permission denied\n\n> ");
            assertThat(c.send("user\nshow cli level\n").readUntil("user\n\n> ")).endsWith("user\n\n> ");
            assertThat(c.send("prompt\n").readToEnd()).isEqualTo("\n");
        }
    }

    @Test
    void quitClosesWithNoOutputAndTheRestOfTheLineIsNotRun() throws Exception {
        start("admin");
        assertThat(cli("quit;show version\n")).isEmpty();
    }

    @Test
    void showStatLeavesAddressesAndAlgorithmsEmptyAtUserLevel() throws Exception {
        start("admin");
        java.util.function.Function<String, Map<String, String>> serverA = csv -> {
            List<String> lines = csv.lines().toList();
            List<String> names = List.of(lines.get(0).substring(2).split(",", -1));
            List<String> cells = List.of(lines.stream().filter(l -> l.startsWith("be,a,")).findFirst().orElseThrow()
                    .split(",", -1));
            Map<String, String> m = new TreeMap<>();
            for (int i = 0; i < names.size(); i++) {
                m.put(names.get(i), cells.get(i));
            }
            return m;
        };
        Map<String, String> admin = serverA.apply(cli("show stat\n"));
        Map<String, String> user = serverA.apply(cli("user; show stat\n").stripLeading());
        assertThat(admin.get("addr")).isEqualTo(a.address());
        assertThat(user.get("addr")).isEmpty();
        assertThat(user.get("stot")).isEqualTo(admin.get("stot")); // the rest is the same
    }

    @Test
    void showStatNoMaintAndUpHideServersAsHaproxyDoes() throws Exception {
        // HAProxy 2.6, same shape (one server up, one disabled, one checked and down): no-maint shows s1 and s3 and
        // "UP (1/3)" on the backend; up shows s1 only.
        FakeBackend one = new FakeBackend("one");
        closeLater.add(one);
        start("admin", """
                backend three
                    server s1 %s
                    server s2 127.0.0.1:9 disabled
                    server s3 127.0.0.1:9 check inter 100ms fall 1
                """.formatted(one.address()));
        java.util.function.Function<String, List<String>> rows = csv -> csv.lines()
                .filter(l -> l.startsWith("three,")).map(l -> String.join(",", List.of(l.split(",", -1)).subList(0, 2))
                        + "," + l.split(",", -1)[17]).toList();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!rows.apply(cli("show stat\n")).contains("three,s3,DOWN") && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling interval of a bounded wait for the check to mark s3 down
        }
        assertThat(rows.apply(cli("show stat\n"))).containsExactly("three,s1,no check", "three,s2,MAINT",
                "three,s3,DOWN", "three,BACKEND,UP");
        assertThat(rows.apply(cli("show stat no-maint\n"))).containsExactly("three,s1,no check", "three,s3,DOWN",
                "three,BACKEND,UP (1/3)");
        assertThat(rows.apply(cli("show stat up\n"))).containsExactly("three,s1,no check", "three,BACKEND,UP (1/3)");
    }

    @Test
    void showSessListsTheClientConnectionsWithWhatTheyDoNow() throws Exception {
        start("admin");
        try (RawHttp idle = new RawHttp(proxy.address("fe")); RawHttp busy = new RawHttp(proxy.address("fe"))) {
            assertThat(idle.get("/", "x").status()).isEqualTo(200); // answered: now waiting for its next request
            a.hold = true;
            b.hold = true;
            busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"); // at a server that does not answer
            long deadline = System.nanoTime() + 10_000_000_000L;
            String out = cli("show sess\n");
            while (!out.contains(" be=be srv=") && System.nanoTime() < deadline) {
                Thread.sleep(20); // polling interval of a bounded wait
                out = cli("show sess\n");
            }
            String idlePort = ":" + idle.socket.getLocalPort() + " ";
            String busyPort = ":" + busy.socket.getLocalPort() + " ";
            assertThat(out.lines().filter(l -> !l.isEmpty())).hasSize(2).allMatch(l -> l.matches(
                    "0x[0-9a-f]+: proto=tcpv4 src=127\\.0\\.0\\.1:\\d+ fe=fe be=\\S+ srv=\\S+ ts=00 epoch=0 age=\\d+s"));
            assertThat(out).contains(idlePort + "fe=fe be=<NONE> srv=<none> ");
            assertThat(out).containsPattern(java.util.regex.Pattern.quote(busyPort) + "fe=fe be=be srv=[ab] ");
            assertThat(out).endsWith("\n\n"); // a dump ends with the CLI's empty line
        } finally {
            a.releaseHeld();
            b.releaseHeld();
        }
        assertThat(cli("user; show sess\n")).endsWith("Permission denied\n\n"); // operator level at least
    }

    @Test
    void helpAndUnknownCommandsAnswerWithHaproxysTexts() throws Exception {
        start("admin");
        String help = cli("help\n");
        assertThat(help).startsWith("The following commands are valid at this level:\n");
        assertThat(help).contains("  show servers state [<backend>]          : dump volatile server information"
                + " (all or for a single backend)\n");
        assertThat(help).endsWith("""
                  help [<command>]                        : list matching or all commands
                  prompt [help | n | i | p | timed ]*     : toggle interactive mode with prompt
                  quit                                    : disconnect

                """);
        List<String> usage = help.lines().skip(1).takeWhile(l -> !l.startsWith("  help [<command>]")).toList();
        assertThat(usage).hasSizeGreaterThan(15);
        List<String> sorted = new ArrayList<>(usage);
        sorted.sort(String::compareTo);
        assertThat(usage).isEqualTo(sorted);
        assertThat(cli("help show servers\n")).isEqualTo("""
                The following commands are valid at this level:
                  show servers conn [<backend>]           : dump server connections status (all or for a single backend)
                  show servers state [<backend>]          : dump volatile server information (all or for a single backend)
                  help [<command>]                        : list matching or all commands
                  prompt [help | n | i | p | timed ]*     : toggle interactive mode with prompt
                  quit                                    : disconnect

                """);
        assertThat(cli("show servers stat\n")).isEqualTo("""
                Unknown command: 'show', but maybe one of the following ones is a better match:
                  show servers state [<backend>]          : dump volatile server information (all or for a single backend)
                  help [<command>]                        : list matching or all commands
                  prompt [help | n | i | p | timed ]*     : toggle interactive mode with prompt
                  quit                                    : disconnect

                """);
        assertThat(cli("frobnicate\n")).startsWith("Unknown command: 'frobnicate', but maybe one of the following"
                + " ones is a better match:\n");
    }

    @Test
    void severityOutputPrefixesShortRepliesOnly() throws Exception {
        start("admin");
        assertThat(cli("set severity-output number;set server be/nope state drain\n"))
                .isEqualTo("\n[3]: No such server.\n\n");
        assertThat(cli("set severity-output string;set server be/a state sleepy\n"))
                .isEqualTo("\n[err]: 'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n\n");
        assertThat(cli("set severity-output number;get weight be/a\n")).isEqualTo("\n10 (initial 10)\n\n");
        assertThat(cli("set severity-output loud\n"))
                .isEqualTo("one of 'none', 'number', 'string' is a required argument\n\n");
    }

    @Test
    void aUserLevelSocketMayReadButNotChange() throws Exception {
        start("user");
        assertThat(cli("show cli level\n")).isEqualTo("user\n\n");
        assertThat(cli("set server be/a state drain\n")).isEqualTo("Permission denied\n\n");
        assertThat(cli("operator\n")).isEqualTo("Permission denied\n\n");
        assertThat(cli("show servers state be\n")).startsWith(HEADER);
        assertThat(cli("get weight be/a\n")).isEqualTo("10 (initial 10)\n\n");
    }

    @Test
    void theSocketFileHasTheModeOfTheLine() throws Exception {
        start("admin");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
    }

    // ---- show servers state ----

    @Test
    void showServersStatePrintsHaproxysHeaderAndColumns() throws Exception {
        start("admin");
        String out = cli("show servers state\n");
        assertThat(out).startsWith(HEADER).endsWith("\n\n");
        String[] line = stateOf("a");
        assertThat(line).hasSize(25);
        // be_id 3: GLOBAL is 1, frontend fe 2, backend be 3
        assertThat(Arrays.asList(line).subList(0, 9)).containsExactly("3", "be", "1", "a", "127.0.0.1", "2", "0", "10",
                "10");
        assertThat(Arrays.asList(line).subList(10, 25)).containsExactly("1", "0", "2", "0", "0", "0", "0", "-",
                String.valueOf(a.port()), "-", "0", "0", "-", "-", "0");
        assertThat(stateOf("b")[2]).isEqualTo("2");
        assertThat(cli("show servers state nope\n")).isEqualTo("Can't find backend.\n\n");
        assertThat(cli("show servers state be\n")).isEqualTo(out);
        assertThat(cli("show backend\n")).isEqualTo("# name\nbe\n\n");
    }

    @Test
    void checkedServersShowTheirCheckStatusAndFollowAServerGoingDownAndBack() throws Exception {
        a = new FakeBackend("a");
        closeLater.add(a);
        ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        int port = probe.getLocalPort();
        probe.close();
        socket = dir.resolve("flagman.sock");
        proxy.apply("""
                global
                    stats socket %s level admin
                defaults
                    mode http
                    timeout connect 1s
                    timeout check 1s
                backend be
                    server a %s check inter 50ms rise 2 fall 3
                    server b 127.0.0.1:%d check inter 50ms rise 2 fall 3
                """.formatted(socket, a.address(), port));
        Await.until("b down, a up", () -> {
            try {
                String[] sa = stateOf("a");
                String[] sb = stateOf("b");
                return sa[10].equals("6") && sb[10].equals("8") && sb[5].equals("0");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // passing TCP check: op 2, status 6 L4OK, result 3, health rise+fall-1 = 4, check state 6
        assertThat(Arrays.asList(stateOf("a")).subList(5, 14)).containsExactly("2", "0", "1", "1",
                stateOf("a")[9], "6", "3", "4", "6");
        assertThat(Arrays.asList(stateOf("b")).subList(10, 14)).containsExactly("8", "2", "0", "6");
        // b comes back
        FakeBackend back = new FakeBackend("b", port);
        closeLater.add(back);
        Await.until("b up", () -> {
            try {
                return stateOf("b")[5].equals("2") && stateOf("b")[10].equals("6");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(stateOf("b")[12]).isEqualTo("4");
        // maintenance pauses the check (health 0, check state 14) and keeps the last status
        assertThat(cli("set server be/a state maint\n")).isEqualTo("\n");
        assertThat(Arrays.asList(stateOf("a")).subList(5, 14)).containsExactly("0", "1", "1", "1",
                stateOf("a")[9], "6", "3", "0", "14");
        // health checks off: results no longer count, the server keeps its state; check state 2 (configured only)
        assertThat(cli("disable health be/b\n")).isEqualTo("\n");
        assertThat(stateOf("b")[13]).isEqualTo("2");
        back.close();
        assertThat(cli("set server be/b health down\n")).isEqualTo("\n");
        assertThat(stateOf("b")[5]).isEqualTo("0");
        assertThat(cli("set server be/b health up\n")).isEqualTo("\n");
        assertThat(stateOf("b")[5]).isEqualTo("2");
        assertThat(cli("enable health be/b\n")).isEqualTo("\n");
        assertThat(stateOf("b")[13]).isEqualTo("6");
        Await.until("b down again once its checks count", () -> {
            try {
                return stateOf("b")[5].equals("0");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(cli("enable health be/a\n")).isEqualTo("\n");
        assertThat(cli("disable health nope/a\n")).isEqualTo("No such backend.\n\n");
    }

    // ---- set server ----

    @Test
    void drainAndMaintTakeEffectOnTheNextRequestAndShowInShowServersState() throws Exception {
        start("admin");
        assertThat(spread(4)).containsOnlyKeys("a", "b");
        assertThat(cli("set server be/b state drain\n")).isEqualTo("\n");
        assertThat(spread(6)).containsOnlyKeys("a");
        assertThat(stateOf("b")[5]).isEqualTo("2");
        assertThat(stateOf("b")[6]).isEqualTo("8");
        assertThat(cli("set server be/b state maint\n")).isEqualTo("\n");
        assertThat(stateOf("b")[5]).isEqualTo("0");
        assertThat(stateOf("b")[6]).isEqualTo("1");
        assertThat(spread(4)).containsOnlyKeys("a");
        assertThat(cli("set server be/b state ready\n")).isEqualTo("\n");
        assertThat(stateOf("b")[6]).isEqualTo("0");
        assertThat(spread(4)).containsOnlyKeys("a", "b");
        assertThat(cli("disable server be/a\n")).isEqualTo("\n");
        assertThat(spread(4)).containsOnlyKeys("b");
        assertThat(cli("enable server be/a\n")).isEqualTo("\n");
        assertThat(spread(4)).containsOnlyKeys("a", "b");
    }

    @Test
    void lookupErrorsComeInHaproxysOrder() throws Exception {
        start("admin");
        assertThat(cli("set server a state drain\n")).isEqualTo("Require 'backend/server'.\n\n");
        assertThat(cli("set server nope/a state drain\n")).isEqualTo("No such backend.\n\n");
        assertThat(cli("set server be/nope state drain\n")).isEqualTo("No such server.\n\n");
        assertThat(cli("set server #3/#2 state drain\n")).isEqualTo("\n");
        assertThat(stateOf("b")[6]).isEqualTo("8");
        assertThat(cli("set server be/a bogus\n")).isEqualTo("usage: set server <backend>/<server> addr | agent |"
                + " agent-addr | agent-port | agent-send | check-addr | check-port | fqdn | health | ssl | state |"
                + " weight\n\n");
        assertThat(cli("get weight be\n")).isEqualTo("Require 'backend/server'.\n\n");
    }

    @Test
    void weightsChangeTheSpreadAndAnswerHaproxysErrors() throws Exception {
        start("admin");
        assertThat(cli("set server be/b weight 0\n")).isEqualTo("\n");
        assertThat(cli("get weight be/b\n")).isEqualTo("0 (initial 10)\n\n");
        assertThat(spread(6)).containsOnlyKeys("a");
        assertThat(cli("set weight be/b 50%\n")).isEqualTo("\n");
        assertThat(cli("get weight be/b\n")).isEqualTo("5 (initial 10)\n\n");
        assertThat(stateOf("b")[7]).isEqualTo("5");
        assertThat(stateOf("b")[8]).isEqualTo("10");
        assertThat(cli("set server be/b weight 257\n"))
                .isEqualTo("Absolute weight can only be between 0 and 256 inclusive.\n\n");
        assertThat(cli("set server be/b weight 5x\n")).isEqualTo("Trailing garbage in weight string\n\n");
        assertThat(cli("set server be/b weight x\n")).isEqualTo("Empty weight string empty or preceded by garbage\n\n");
        assertThat(cli("set server be/b weight -5%\n")).isEqualTo("Relative weight must be positive.\n\n");
        assertThat(cli("set server be/b weight\n")).isEqualTo("Require <weight> or <weight%>.\n\n");
    }

    @Test
    void setServerAddrSendsTheNextRequestToTheNewAddress() throws Exception {
        start("admin");
        FakeBackend c = new FakeBackend("c");
        closeLater.add(c);
        assertThat(cli("set server be/b addr 127.0.0.1 port " + c.port() + "\n"))
                .isEqualTo("port changed from '" + b.port() + "' to '" + c.port() + "' by 'stats socket command'\n\n");
        assertThat(spread(4)).containsOnlyKeys("a", "c");
        assertThat(stateOf("b")[18]).isEqualTo(String.valueOf(c.port()));
        assertThat(cli("set server be/b addr 127.0.0.1 port " + c.port() + "\n")).isEqualTo("nothing changed\n\n");
        assertThat(cli("set server be/b addr foo\n")).isEqualTo("Invalid addr 'foo'\n\n");
        assertThat(cli("set server be/b addr\n"))
                .isEqualTo("set server <b>/<s> addr requires an address and optionally a port.\n\n");
        assertThat(cli("set server be/b addr 127.0.0.2 port " + c.port() + "\n"))
                .isEqualTo("IP changed from '127.0.0.1' to '127.0.0.2' by 'stats socket command'\n\n");
        assertThat(cli("set severity-output number;set server be/b addr 127.0.0.1 port abc\n"))
                .isEqualTo("\n[4]: problem converting port 'abc' to an int\n\n");
    }

    // ---- runtime state and applies ----

    @Test
    void runtimeChangesSurviveAnApplyOfAnUnchangedServerAndTheSocketIsKept() throws Exception {
        start("admin");
        assertThat(cli("set server be/b state drain;set server be/a weight 3\n")).isEqualTo("\n\n");
        try (CliClient open = CliClient.unix(socket)) {
            open.send("prompt\n").readUntil("> ");
            proxy.apply(config("admin", "backend other\n    server x 127.0.0.1:9\n"));
            // the connection opened before the apply still answers: the socket was kept, not re-bound
            assertThat(open.send("show backend\n").readUntil("> ")).isEqualTo("# name\nbe\nother\n\n> ");
        }
        assertThat(stateOf("b")[6]).isEqualTo("8");
        assertThat(cli("get weight be/a\n")).isEqualTo("3 (initial 10)\n\n");
        assertThat(proxy.dataPlane.config().version()).isZero();
    }

    @Test
    void aChangedSocketLineRebindsAndARemovedOneIsClosedAndDeleted() throws Exception {
        start("admin");
        Path second = dir.resolve("second.sock");
        String text = config("admin", "").replace("stats socket " + socket + " mode 600 level admin",
                "stats socket " + second + " level user\n    stats socket " + socket + " level operator");
        proxy.apply(text);
        assertThat(CliClient.exchange(second, "show cli level\n")).isEqualTo("user\n\n");
        assertThat(cli("show cli level\n")).isEqualTo("operator\n\n");
        proxy.apply(config("admin", "").replace("stats socket " + socket + " mode 600 level admin", ""));
        assertThat(second).doesNotExist();
        assertThat(socket).doesNotExist();
    }

    @Test
    void aStaleSocketFileIsReplacedAtBind() throws Exception {
        socket = dir.resolve("flagman.sock");
        // what a killed process leaves: a socket file nobody listens on
        ServerSocketChannel stale = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        stale.bind(UnixDomainSocketAddress.of(socket));
        stale.close();
        assertThat(socket).exists();
        a = new FakeBackend("a");
        b = new FakeBackend("b");
        closeLater.add(a);
        closeLater.add(b);
        proxy.apply(config("admin", ""));
        assertThat(cli("show cli level\n")).isEqualTo("admin\n\n");
    }

    @Test
    void aTcpSocketServesTheSameCommands() throws Exception {
        start("admin");
        ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        int port = probe.getLocalPort();
        probe.close();
        proxy.apply(config("admin", "").replace("mode 600 level admin",
                "mode 600 level admin\n    stats socket ipv4@127.0.0.1:" + port + " level operator"));
        try (CliClient c = CliClient.tcp(new InetSocketAddress("127.0.0.1", port))) {
            assertThat(c.send("show cli level\n").readToEnd()).isEqualTo("operator\n\n");
        }
    }

    @Test
    void aSocketThatCannotBindRejectsTheApply() throws Exception {
        start("admin");
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String text = config("admin", "").replace("mode 600 level admin",
                    "mode 600 level admin\n    stats socket ipv4@127.0.0.1:" + taken.getLocalPort());
            assertThatThrownBy(() -> proxy.apply(text)).isInstanceOf(ApplyException.class)
                    .hasMessageContaining("stats socket ipv4@127.0.0.1:" + taken.getLocalPort());
        }
        assertThat(cli("show cli level\n")).isEqualTo("admin\n\n");
    }

    @Test
    void statsMaxconnBoundsTheConnections() throws Exception {
        start("admin");
        proxy.apply(config("admin", "").replace("mode 600 level admin", "mode 600 level admin\n    stats maxconn 1"));
        try (CliClient first = CliClient.unix(socket)) {
            first.send("prompt\n").readUntil("> ");
            try (CliClient second = CliClient.unix(socket)) {
                String answer;
                try {
                    answer = second.send("show cli level\n").readToEnd();
                } catch (java.io.IOException closedFirst) {
                    answer = ""; // the server closed it before the line was even written
                }
                assertThat(answer).isEmpty();
            }
            // the first one still answers
            assertThat(first.send("show cli level\n").readUntil("> ")).isEqualTo("admin\n\n> ");
        }
    }

    @Test
    void statsTimeoutClosesAnIdleConnection() throws Exception {
        start("admin");
        proxy.apply(config("admin", "").replace("mode 600 level admin", "mode 600 level admin\n    stats timeout 200ms"));
        try (CliClient c = CliClient.unix(socket)) {
            assertThat(c.send("prompt\n").readUntil("> ")).isEqualTo("\n> ");
            assertThat(c.readToEnd()).isEmpty();
        }
    }

    // ---- add / del server ----

    @Test
    void addServerStartsInMaintenanceAndServesOnceReady() throws Exception {
        start("admin");
        FakeBackend c = new FakeBackend("c");
        closeLater.add(c);
        assertThat(cli("add server be/c " + c.address() + " check\n")).isEqualTo("New server registered.\n\n");
        String[] line = stateOf("c");
        // just added with check: op 0, admin 1 (maintenance), weight 1, check configured but disabled (2)
        assertThat(Arrays.asList(line).subList(2, 9)).containsExactly("3", "c", "127.0.0.1", "0", "1", "1", "1");
        assertThat(line[13]).isEqualTo("2");
        assertThat(spread(6)).containsOnlyKeys("a", "b");
        assertThat(cli("set server be/c state ready;set server be/a state maint;set server be/b state maint\n"))
                .isEqualTo("\n\n\n");
        assertThat(spread(3)).containsOnlyKeys("c");
        assertThat(cli("add server be/c " + c.address() + "\n"))
                .isEqualTo("Already exists a server with the same name in backend.\n\n");
        assertThat(cli("add server be/d\n")).isEqualTo("'server' expects <name> and <addr>[:<port>] as arguments.\n\n");
        assertThat(cli("add server nope/d 127.0.0.1:1\n")).isEqualTo("No such backend.\n\n");
        // kept over an apply that leaves the backend as it is, not the file's
        proxy.apply(config("admin", "backend other\n    server x 127.0.0.1:9\n"));
        assertThat(stateOf("c")[6]).isEqualTo("0");
        assertThat(proxy.dataPlane.config().backend("be").orElseThrow().servers()).hasSize(2);
        // gone once the backend's configuration changes
        proxy.apply(config("admin", "").replace("weight 10\n    server b", "weight 11\n    server b"));
        assertThat(cli("show servers state be\n")).doesNotContain(" c ");
    }

    @Test
    void delServerNeedsMaintenanceAndNoConnection() throws Exception {
        start("admin");
        assertThat(cli("del server be/b\n")).isEqualTo("Only servers in maintenance mode can be deleted.\n\n");
        assertThat(cli("set server be/b state maint;del server be/b\n")).isEqualTo("\nServer deleted.\n\n");
        assertThat(cli("show servers state be\n")).doesNotContain(" b ");
        assertThat(spread(4)).containsOnlyKeys("a");
        assertThat(cli("del server be/b\n")).isEqualTo("No such server.\n\n");
        assertThat(cli("del server be\n")).isEqualTo("Require 'backend/server'.\n\n");
    }

    @Test
    void addAndDelServerRefuseStaticAlgorithms() throws Exception {
        start("admin", "backend st\n    balance static-rr\n    server x 127.0.0.1:9\n");
        assertThat(cli("add server st/y 127.0.0.1:9\n"))
                .isEqualTo("Backend must use a dynamic load balancing to support dynamic servers.\n\n");
        assertThat(cli("set server st/x weight 5\n"))
                .isEqualTo("Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.\n\n");
        assertThat(cli("set server st/x weight 0%\n")).isEqualTo("\n");
    }

    @Test
    void showServersConnListsThePools() throws Exception {
        start("admin");
        spread(2);
        String out = cli("show servers conn be\n");
        assertThat(out).startsWith("# bkname/svname bkid/svid addr port - purge_delay used_cur used_max need_est"
                + " unsafe_nb safe_nb idle_lim idle_cur idle_per_thr[2]\n");
        assertThat(out).contains("be/a 3/1 127.0.0.1 " + a.port() + " - 5000 0 0 0 ");
        // each server's connection carried one request: idle, not yet safe (unsafe_nb 1, safe_nb 0, idle_cur 1)
        String idle = "be/a 3/1 127.0.0.1 " + a.port() + " - 5000 0 0 0 1 0 -1 1 ";
        Await.until("a's connection back in the pool", () -> {
            try {
                return cli("show servers conn be\n").contains(idle);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    // ---- statistics ----

    @Test
    void showStatAndShowInfoPrintTheStatisticsModel() throws Exception {
        start("admin");
        spread(10);
        String csv = cli("show stat\n");
        assertThat(csv).startsWith(io.flagman.proxy.stats.StatCsv.header()).endsWith(",\n\n");
        assertThat(csv.lines().filter(l -> l.startsWith("be,")).map(l -> l.split(",")[1]))
                .containsExactly("a", "b", "BACKEND");
        String servers = cli("show stat -1 4 -1\n");
        assertThat(servers.lines().skip(1).filter(l -> !l.isEmpty()).map(l -> l.split(",")[1]))
                .containsExactly("a", "b");
        assertThat(cli("show stat be 4 2\n").lines().skip(1).filter(l -> !l.isEmpty()).map(l -> l.split(",")[1]))
                .containsExactly("b");
        assertThat(cli("show stat nope 4 2\n")).isEqualTo("No such proxy.\n\n");
        assertThat(cli("show stat typed\n")).contains("S.3.1.1.svname.1:KNS:str:a\n");
        assertThat(cli("show stat json\n")).startsWith("[[{\"objType\":");
        assertThat(cli("show info\n")).containsPattern("(?m)^Nbthread: 2$").endsWith("\n\n");
        assertThat(cli("show info typed\n")).contains(".Nbthread.1:CGS:u32:2\n");
        assertThat(cli("show info json\n")).startsWith("[{\"field\":{\"pos\":0,\"name\":\"Name\"}");
    }

    @Test
    void clearCountersResetsMaximaAtOperatorAndEverythingAtAdmin() throws Exception {
        start("operator");
        spread(10);
        assertThat(totalSessions("a") + totalSessions("b")).isEqualTo(10);
        assertThat(cli("clear counters all\n")).isEqualTo("Permission denied\n\n");
        assertThat(cli("clear counters\n")).isEqualTo("\n");
        assertThat(totalSessions("a") + totalSessions("b")).isEqualTo(10);
        proxy.apply(config("admin", ""));
        assertThat(cli("clear counters all\n")).isEqualTo("\n");
        assertThat(totalSessions("a") + totalSessions("b")).isZero();
    }

    /** stot (column 7) of server {@code name} in show stat. */
    private long totalSessions(String name) throws Exception {
        return cli("show stat\n").lines().filter(l -> l.startsWith("be," + name + ",")).findFirst()
                .map(l -> Long.parseLong(l.split(",")[7])).orElseThrow();
    }
}
