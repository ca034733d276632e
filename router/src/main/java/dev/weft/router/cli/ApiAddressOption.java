package dev.weft.router.cli;

import picocli.CommandLine;

/**
 * The {@code --http-addr} option of the commands that talk to a running router (a picocli mixin):
 * the router's HTTP API address, {@code WEFT_HTTP_ADDR} or {@value LocalApi#DEFAULT_ADDRESS} by
 * default.
 */
final class ApiAddressOption {

    @CommandLine.Option(
            names = "--http-addr",
            defaultValue = "${env:WEFT_HTTP_ADDR:-" + LocalApi.DEFAULT_ADDRESS + "}",
            description = "the router's HTTP API address (env WEFT_HTTP_ADDR; default ${DEFAULT-VALUE})")
    String address;

    /** A client of the router at that address. */
    LocalApi api() {
        return new LocalApi(address);
    }
}
