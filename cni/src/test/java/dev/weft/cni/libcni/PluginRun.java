package dev.weft.cni.libcni;

/** One plugin execution as observed: exit status and both output streams. */
public record PluginRun(int exitStatus, String stdout, String stderr) {}
