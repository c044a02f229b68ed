package io.pgfleet.cli.keys;

import picocli.CommandLine.Command;

/** {@code pgfleet keys generate}: an Ed25519 key pair for signing commands. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Signing keys for commands that workers accept only when signed.",
    subcommands = GenerateKeys.class)
public final class KeysCommand {}
