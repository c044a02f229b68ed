package io.pgfleet.cli.runs;

import picocli.CommandLine.Command;

/** {@code pgfleet runs list|show}: what the fleet did, from the dispatcher's API. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = "Lists runs, or shows one with its events, from a dispatcher.",
    subcommands = {ListRuns.class, ShowRun.class})
public final class RunsCommand {}
