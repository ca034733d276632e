package dev.weft.gossip.internal.netty;

import dev.weft.gossip.spi.Hello;
import dev.weft.gossip.spi.TransportEvents;
import java.security.SecureRandom;
import java.util.function.Supplier;

/** What every connection's handlers share: settings, identity, events, randomness. */
record TransportContext(
        NettyTransportConfig config, Supplier<Hello> identity, TransportEvents events, SecureRandom random) {}
