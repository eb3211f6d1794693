package io.flagman.control;

import io.flagman.config.ConfigLoader;
import io.flagman.config.model.Config;
import io.flagman.config.parse.ConfigParser;
import io.flagman.config.text.ConfigDocument;
import io.flagman.control.api.ApiHandler;
import io.flagman.control.api.ApiServer;
import io.flagman.control.api.ConfigurationRoutes;
import io.flagman.control.api.Router;
import io.flagman.control.api.RuntimeRoutes;
import io.flagman.control.api.ServiceRoutes;
import io.flagman.control.auth.Authenticator;
import io.flagman.control.service.CommitGate;
import io.flagman.control.service.ConfigService;
import io.flagman.control.service.HandEditPolicy;
import io.flagman.control.store.FileConfigStore;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The control plane: the configuration file as the store, the Data Plane API v3 over HTTP, and {@link #poll()},
 * which picks up hand edits of the file. {@link #start()} loads the configuration (falling back to
 * {@code <config>.lkg}, loudly, when the file is invalid), applies it through the {@link ConfigApplier} and starts
 * the API; {@link #close()} stops it. The program's one file watcher (it also serves the run mode without API and
 * SIGHUP) calls {@link #poll()} every {@link #POLL_INTERVAL}.
 *
 * <pre>{@code
 * DataPlane dataPlane = …;
 * ControlPlane cp = new ControlPlane(ApiSettings.load(Path.of("dataplaneapi.yml")), dataPlane::apply, runtime);
 * InetSocketAddress api = cp.start();   // throws IllegalStateException with a how-to when there are no users
 * cp.notes().forEach(System.err::println);
 * }</pre>
 */
public final class ControlPlane implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.flagman.control");
    /** How often the file (and a separate userlist file) is checked for hand edits. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    private final ApiSettings settings;
    private final Options options;
    private final RuntimeServers runtime;
    private final RuntimeStats stats;
    private final ConfigService service;
    private final AtomicReference<Authenticator> auth = new AtomicReference<>(new Authenticator(List.of()));
    private ApiServer server;
    private volatile FileTime userlistMtime;

    /**
     * @param settings where the file is, where the API listens, which userlist holds its users
     * @param applier makes a validated configuration live (the data plane's {@code apply})
     * @param runtime the data plane's runtime server state, for the {@code runtime} endpoints
     */
    public ControlPlane(ApiSettings settings, ConfigApplier applier, RuntimeServers runtime) {
        this(settings, applier, runtime, RuntimeStats.NONE);
    }

    /** As above, with the data plane's statistics for {@code stats/native} and {@code runtime/info}. */
    public ControlPlane(ApiSettings settings, ConfigApplier applier, RuntimeServers runtime, RuntimeStats stats) {
        this(settings, applier, runtime, Options.defaults().withStats(stats));
    }

    /** As above with the validator and clock chosen (tests). */
    public ControlPlane(ApiSettings settings, ConfigApplier applier, RuntimeServers runtime, ConfigValidator validator,
            Clock clock) {
        this(settings, applier, runtime, Options.defaults().withValidator(validator).withClock(clock));
    }

    /**
     * As above with everything optional chosen in {@code options}: statistics, validator, clock, and the hooks a
     * cluster node plugs in (commit gate, hand-edit policy, extra routes).
     */
    public ControlPlane(ApiSettings settings, ConfigApplier applier, RuntimeServers runtime, Options options) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.options = Objects.requireNonNull(options, "options");
        this.runtime = runtime == null ? RuntimeServers.NONE : runtime;
        this.stats = options.stats();
        FileConfigStore store = new FileConfigStore(settings.configFile(), settings.backupsDir(),
                settings.backupsNumber());
        this.service = new ConfigService(store, options.validator(), applier, settings.transactionDir(),
                settings.maxOpenTransactions(), options.clock(), options.gate(), options.handEdits());
        this.service.addListener(s -> refreshUsers(s.document()));
    }

    /**
     * The optional parts of a control plane, immutable; start from {@link #defaults()} and change what is needed.
     *
     * @param stats the data plane's statistics for {@code stats/native} and {@code runtime/info}
     * @param validator compiles a candidate configuration (the data plane's loader)
     * @param clock the clock of reload records
     * @param gate asked for every commit from the API or a hand edit ({@link CommitGate#NONE}: all admitted)
     * @param handEdits what happens to a hand edit of the file ({@link HandEditPolicy#COMMIT}: committed)
     * @param routes extra API routes, registered after the Data Plane API's own (a cluster's {@code /v3/fleet})
     */
    public record Options(RuntimeStats stats, ConfigValidator validator, Clock clock, CommitGate gate,
            HandEditPolicy handEdits, List<Consumer<Router>> routes) {

        public Options {
            Objects.requireNonNull(stats, "stats");
            Objects.requireNonNull(validator, "validator");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(gate, "gate");
            Objects.requireNonNull(handEdits, "handEdits");
            routes = List.copyOf(routes);
        }

        /** No statistics, the configuration loader, the UTC clock, no gate, hand edits committed, no routes. */
        public static Options defaults() {
            return new Options(RuntimeStats.NONE, ConfigLoader::fromText, Clock.systemUTC(), CommitGate.NONE,
                    HandEditPolicy.COMMIT, List.of());
        }

        public Options withStats(RuntimeStats s) {
            return new Options(s == null ? RuntimeStats.NONE : s, validator, clock, gate, handEdits, routes);
        }

        public Options withValidator(ConfigValidator v) {
            return new Options(stats, v, clock, gate, handEdits, routes);
        }

        public Options withClock(Clock c) {
            return new Options(stats, validator, c, gate, handEdits, routes);
        }

        public Options withGate(CommitGate g) {
            return new Options(stats, validator, clock, g, handEdits, routes);
        }

        public Options withHandEdits(HandEditPolicy p) {
            return new Options(stats, validator, clock, gate, p, routes);
        }

        /** These options with {@code registrar} added to the extra routes. */
        public Options withRoutes(Consumer<Router> registrar) {
            List<Consumer<Router>> all = new ArrayList<>(routes);
            all.add(Objects.requireNonNull(registrar, "registrar"));
            return new Options(stats, validator, clock, gate, handEdits, all);
        }
    }

    /**
     * Loads and applies the configuration, then starts the API.
     *
     * @return the address the API is bound to
     * @throws IllegalStateException when the configuration cannot be loaded, or no API user is configured (the
     *     message says how to add one)
     * @throws IOException when files cannot be read or the API cannot bind
     */
    public synchronized InetSocketAddress start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        for (String note : settings.notes()) {
            LOG.log(Level.INFO, "dataplaneapi settings: " + note);
        }
        service.start();
        refreshUsers(service.current().document());
        if (!auth.get().hasUsers()) {
            throw new IllegalStateException(noUsersMessage());
        }
        Router router = new Router();
        new ConfigurationRoutes(service).register(router);
        new RuntimeRoutes(service, runtime, stats).register(router);
        new ServiceRoutes(version()).register(router);
        options.routes().forEach(r -> r.accept(router));
        ApiHandler handler = new ApiHandler(router, auth::get, service);
        ApiServer s = new ApiServer(handler, handler::tooLarge, settings.maxBodySize());
        InetSocketAddress bound;
        try {
            bound = s.start(settings.host(), settings.port());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.close();
            throw new IOException("interrupted while binding the API", e);
        } catch (RuntimeException e) {
            s.close();
            throw new IOException("cannot listen on " + settings.host() + ":" + settings.port() + " for the API: "
                    + e.getMessage(), e);
        }
        server = s;
        LOG.log(Level.INFO, "Data Plane API v3 listening on http://" + bound.getHostString() + ":" + bound.getPort()
                + "/v3 (configuration " + settings.configFile() + ", version " + service.current().version() + ")");
        return bound;
    }

    /**
     * Checks the file (and a separate userlist file) for hand edits now: a changed, valid file is applied as a new
     * version. The program's file watcher calls this every {@link #POLL_INTERVAL} and on SIGHUP.
     *
     * @return true when a hand edit was applied
     */
    public boolean poll() {
        boolean applied = false;
        try {
            applied = service.pollFile();
            if (settings.userlistFile() != null) {
                FileTime t = Files.getLastModifiedTime(settings.userlistFile());
                if (!t.equals(userlistMtime)) {
                    refreshUsers(service.current().document());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "configuration watcher: " + e);
        }
        return applied;
    }

    public ApiSettings settings() {
        return settings;
    }

    /** One line per settings key Flagman accepted but does not need. */
    public List<String> notes() {
        return settings.notes();
    }

    public ConfigService service() {
        return service;
    }

    /** The API's address, or null before {@link #start()}. */
    public InetSocketAddress address() {
        ApiServer s = server;
        return s == null ? null : s.address();
    }

    /** Set when start-up ran the last-known-good copy because the file was invalid. */
    public String startupWarning() {
        return service.startupWarning();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    // ---------------------------------------------------------------- users

    private void refreshUsers(ConfigDocument configDoc) {
        List<Authenticator.User> users = new ArrayList<>();
        for (ApiSettings.YamlUser u : settings.yamlUsers()) {
            users.add(new Authenticator.User(u.name(), u.password(), !u.insecure()));
        }
        if (users.isEmpty()) {
            ConfigDocument doc = configDoc;
            if (settings.userlistFile() != null) {
                try {
                    userlistMtime = Files.getLastModifiedTime(settings.userlistFile());
                    doc = ConfigDocument.parse(settings.userlistFile().toString(),
                            Files.readString(settings.userlistFile()));
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "cannot read userlist file " + settings.userlistFile() + ": " + e);
                    return;
                }
            }
            users.addAll(usersOf(doc, settings.userlist()));
        }
        if (users.isEmpty() && auth.get().hasUsers()) {
            LOG.log(Level.WARNING, "userlist " + settings.userlist() + " has no users any more; the API keeps the"
                    + " previous ones so it stays reachable");
            return;
        }
        auth.set(new Authenticator(users));
    }

    /** The users of {@code userlist} as the config parser reads them (the {@code user} keyword's one reader). */
    static List<Authenticator.User> usersOf(ConfigDocument doc, String userlist) {
        Config config = ConfigParser.parse(doc).config();
        if (config == null) {
            return List.of();
        }
        return config.userlist(userlist).map(u -> u.users().stream()
                .map(x -> new Authenticator.User(x.name(), x.password(), x.secure())).toList()).orElse(List.of());
    }

    private String noUsersMessage() {
        Path where = settings.userlistFile() != null ? settings.userlistFile() : settings.configFile();
        return "the Data Plane API has no users, so it does not start (there are no default credentials): add a"
                + " user to userlist '" + settings.userlist() + "' in " + where + ", for example\n\n"
                + "userlist " + settings.userlist() + "\n"
                + "  user admin password <hash>\n\n"
                + "where <hash> comes from `openssl passwd -6` (SHA-512 crypt; -5 for SHA-256 also works)";
    }

    private static String version() {
        String v = ControlPlane.class.getPackage().getImplementationVersion();
        return "flagman " + (v == null ? "dev" : v) + " (Data Plane API v3)";
    }
}
