package io.flagman.control.api;

import io.flagman.control.ApiException;
import io.flagman.control.auth.Authenticator;
import io.flagman.control.service.ConfigService;
import java.net.URI;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The cross-cutting part of every request, in this order: authentication (before anything else, so an
 * unauthenticated client learns nothing, not even which paths exist), routing (404 / 405), the browser guards
 * on mutations (foreign {@code Origin} → 403, wrong {@code Content-Type} → 415), the route, and the
 * {@code Configuration-Version} header on every response.
 */
public final class ApiHandler implements Function<ApiRequest, ApiResponse> {

    private static final System.Logger LOG = System.getLogger("io.flagman.control.api");

    private final Router router;
    private final Supplier<Authenticator> auth;
    private final ConfigService service;

    public ApiHandler(Router router, Supplier<Authenticator> auth, ConfigService service) {
        this.router = router;
        this.auth = auth;
        this.service = service;
    }

    @Override
    public ApiResponse apply(ApiRequest request) {
        ApiResponse response;
        try {
            response = handle(request);
        } catch (ApiException e) {
            response = ApiResponse.error(e.status(), e.getMessage());
            e.headers().forEach(response::header);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "API request " + request.method() + " " + request.path() + " failed", e);
            response = ApiResponse.error(500, "internal error: " + e);
        }
        response.header("Configuration-Version", Long.toString(headerVersion(request)));
        return response;
    }

    /** The 413 response (the aggregator answers before routing). */
    public ApiResponse tooLarge(int limit) {
        return ApiResponse.error(413, "request body exceeds the maximum allowed size of " + limit + " bytes")
                .header("Configuration-Version", Long.toString(service.headerVersion(null)));
    }

    private long headerVersion(ApiRequest request) {
        try {
            String tx = request.param("transaction_id");
            return service.headerVersion(tx == null || tx.isEmpty() ? null : tx);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private ApiResponse handle(ApiRequest request) throws ApiException {
        Authenticator.Result who = auth.get().check(request.header("authorization"));
        if (!who.ok()) {
            return ApiResponse.error(401, who.message()).header("WWW-Authenticate", "Basic realm=\"API\"");
        }
        Router.Match match = router.match(request);
        if (match.call() == null) {
            if (match.allowed().isEmpty()) {
                return ApiResponse.error(404, "path " + request.path() + " was not found");
            }
            return ApiResponse.error(405, "method " + request.method() + " is not allowed for path "
                    + request.path()).header("Allow", String.join(", ", match.allowed()));
        }
        Router.Route route = match.call().route();
        if (route.mutation()) {
            checkOrigin(request);
            checkContentType(request, route.body());
        }
        try {
            return route.handler().handle(match.call().by(who.user()));
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ApiException(500, e.toString());
        }
    }

    /** A mutation from a browser page on another origin is refused (CSRF); non-browser clients send no Origin. */
    private static void checkOrigin(ApiRequest request) {
        String origin = request.header("origin");
        if (origin == null) {
            return;
        }
        String host = request.header("host");
        String originHost = null;
        try {
            URI u = URI.create(origin.trim());
            if (u.getHost() != null) {
                originHost = u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "");
            }
        } catch (IllegalArgumentException e) {
            originHost = null;
        }
        if (host == null || originHost == null || !originHost.equalsIgnoreCase(host.trim())) {
            throw new ApiException(403, "cross-origin request refused: Origin " + origin
                    + " is not this API's origin");
        }
    }

    private static void checkContentType(ApiRequest request, Router.Body body) {
        if (body == Router.Body.NONE) {
            return;
        }
        String ct = request.header("content-type");
        String type = ct == null ? "" : ct.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        String expected = body == Router.Body.JSON ? "application/json" : "text/plain";
        if (!type.equals(expected)) {
            throw new ApiException(415, "header Content-Type has unexpected value \"" + (ct == null ? "" : ct)
                    + "\": expected " + expected);
        }
    }
}
