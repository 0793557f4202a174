package dev.verydeep.cli;

import picocli.CommandLine;

/** Version line from the jar manifest (or "dev" when run from classes). */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"verydeep " + (v == null ? "dev" : v) + ", Java " + System.getProperty("java.version")};
    }
}
