package dev.mandate.enclave.keys;

import dev.mandate.config.Settings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * <b>NOT FOR PRODUCTION.</b> Wraps keys with AES-256-GCM under a 32-byte master key kept in a plain
 * local file. Anyone who can read that file can unwrap every wallet key it ever wrapped. It exists
 * so {@code ./mandate serve} and tests run without KMS; production must use {@link KmsKeyWrapper}.
 *
 * <p>The master key file (default {@code .mandate/dev-master.key}, or {@code MANDATE_DEV_MASTER_KEY_FILE})
 * is created with owner-only permissions on first use, never when the class loads (a SnapStart
 * snapshot must not carry it). Constructing one prints a single WARN line to stderr per JVM.
 */
public final class DevKeyWrapper implements KeyWrapper {
  /** Environment variable / system property overriding the master key file location. */
  public static final String KEY_FILE_SETTING = "MANDATE_DEV_MASTER_KEY_FILE";
  public static final Path DEFAULT_KEY_FILE = Path.of(".mandate", "dev-master.key");
  private static final AtomicBoolean WARNED = new AtomicBoolean();
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private final Path keyFile;
  private final Object lock = new Object();
  private byte[] masterKey;
  private String masterKeyId;

  private DevKeyWrapper(final Path keyFile) {
    this.keyFile = keyFile;
    if (WARNED.compareAndSet(false, true)) {
      System.err.println("WARN DevKeyWrapper: wallet keys are wrapped with a local dev master key file ("
          + keyFile.toAbsolutePath() + "). NOT FOR PRODUCTION: set MANDATE_KEY_WRAPPER=kms.");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public WrappedKey wrap(final byte[] plaintext, final KeyContext context) {
    synchronized (lock) {
      loadKey();
      final byte[] nonce = Aead.newNonce();
      return WrappedKey.dev(masterKeyId, nonce, Aead.seal(masterKey, nonce, plaintext, context.aad()));
    }
  }

  @Override
  public byte[] unwrap(final WrappedKey wrapped, final KeyContext context) {
    if (wrapped.kind() != WrappedKey.Kind.DEV) {
      throw new KeyUnwrapException("key was wrapped by the " + wrapped.kind().code() + " wrapper, not dev");
    }
    synchronized (lock) {
      loadKey();
      if (!masterKeyId.equals(wrapped.masterKeyId())) {
        throw new KeyUnwrapException("key was wrapped under another dev master key (" + wrapped.masterKeyId()
            + "), this one is " + masterKeyId);
      }
      return Aead.open(masterKey, wrapped.nonce(), wrapped.ciphertext(), context.aad());
    }
  }

  /** The master key file this wrapper reads (or creates on first use). */
  public Path keyFile() {
    return keyFile;
  }

  private void loadKey() {
    if (masterKey == null) {
      final byte[] key = readOrCreate(keyFile);
      masterKeyId = fingerprint(key);
      masterKey = key;
    }
  }

  private static byte[] readOrCreate(final Path file) {
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      final byte[] key = Files.readAllBytes(file);
      if (key.length != Aead.KEY_BYTES) {
        Aead.wipe(key);
        throw new IllegalStateException("dev master key file " + file + " must hold exactly 32 bytes");
      }
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create dev master key file " + file, e);
    }
  }

  /**
   * Writes a fresh key to a temporary file and links it into place: the link fails if another
   * process got there first, and no reader ever sees a half-written key.
   */
  private static void create(final Path file) throws IOException {
    final Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    final Path temp = Files.createTempFile(dir, ".dev-master", ".tmp", ownerOnly());
    final byte[] key = new byte[Aead.KEY_BYTES];
    try {
      dev.mandate.enclave.Rng.get().nextBytes(key);
      try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
        out.write(key);
      }
      Files.createLink(file, temp);
    } catch (FileAlreadyExistsException e) {
      // Someone else created it meanwhile; theirs wins and is read by the caller.
    } finally {
      Aead.wipe(key);
      Files.deleteIfExists(temp);
    }
  }

  private static FileAttribute<?>[] ownerOnly() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
  }

  /** A public name for the key (a truncated hash: reveals nothing about it) to tell keys apart. */
  private static String fingerprint(final byte[] key) {
    try {
      final MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update("mandate/dev-master-key-id".getBytes(StandardCharsets.US_ASCII));
      final byte[] hash = digest.digest(key);
      return "dev-" + HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Builds a {@link DevKeyWrapper}. */
  public static final class Builder {
    private Path keyFile;

    private Builder() {}

    /** Defaults to {@code MANDATE_DEV_MASTER_KEY_FILE}, else {@code .mandate/dev-master.key} (relative to the working dir). */
    public Builder keyFile(final Path keyFile) {
      this.keyFile = Objects.requireNonNull(keyFile, "keyFile");
      return this;
    }

    public DevKeyWrapper build() {
      return new DevKeyWrapper(Optional.ofNullable(keyFile)
          .or(() -> Settings.get(KEY_FILE_SETTING).map(Path::of))
          .orElse(DEFAULT_KEY_FILE));
    }
  }
}
