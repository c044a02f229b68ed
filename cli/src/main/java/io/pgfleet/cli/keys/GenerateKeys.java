package io.pgfleet.cli.keys;

import io.pgfleet.commands.TargetName;
import io.pgfleet.commands.signing.Ed25519Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes NAME.key (private, mode 600) and NAME.pub, and prints the worker config lines. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Generates an Ed25519 key pair.")
final class GenerateKeys implements Callable<Integer> {
  @Option(
      names = "--name",
      required = true,
      description = "Signer id the workers will know the key by")
  String name;

  @Option(
      names = "--dir",
      defaultValue = ".",
      description = "Where to write NAME.key and NAME.pub (default: .)")
  Path dir;

  @Override
  public Integer call() throws Exception {
    TargetName.require(name);
    KeyPair pair = Ed25519Keys.generate();
    Path key = dir.resolve(name + ".key");
    Path pub = dir.resolve(name + ".pub");
    if (Files.exists(key)) {
      throw new IllegalStateException(key + " exists; refusing to overwrite a private key");
    }
    Files.createFile(
        key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(key, pem("PRIVATE KEY", Ed25519Keys.encode(pair.getPrivate())));
    Files.writeString(pub, pem("PUBLIC KEY", Ed25519Keys.encode(pair.getPublic())));
    System.out.println("wrote " + key + " (keep it secret) and " + pub);
    System.out.println("trust it in the workers' config:");
    System.out.println(
        "security:\n  trustedSigners:\n    "
            + name
            + ":\n      publicKey: "
            + Ed25519Keys.encode(pair.getPublic())
            + "\n      operations: []\n      targets: [\"*\"]");
    System.out.println(
        "sign with: pgfleet submit <op> ... --signer " + name + " --sign-key " + key);
    return 0;
  }

  private static String pem(String type, String base64) {
    return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
  }
}
