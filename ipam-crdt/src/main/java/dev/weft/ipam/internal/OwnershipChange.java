package dev.weft.ipam.internal;

import dev.weft.ipam.api.Cidr;
import dev.weft.ipam.api.ContainerId;

/**
 * One change of a container ownership record, as the store applies it.
 *
 * @param id the container
 * @param address the address with its subnet's prefix length
 * @param added true for a new record, false for a freed one
 */
public record OwnershipChange(ContainerId id, Cidr address, boolean added) {}
