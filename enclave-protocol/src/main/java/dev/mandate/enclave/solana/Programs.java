package dev.mandate.enclave.solana;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the enclave knows of the programs Privy's policy language names: the System Program and SPL
 * Token (and Token-2022, which shares its instruction layout for these instructions). Fields are
 * read the way the programs themselves read instruction data: a little-endian prefix, trailing bytes
 * ignored, so a policy sees exactly what would execute.
 */
public final class Programs {
  public static final String SYSTEM = "11111111111111111111111111111111";
  public static final String TOKEN = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
  public static final String TOKEN_2022 = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";

  private static final List<String> SYSTEM_NAMES = List.of("CreateAccount", "Assign", "Transfer",
      "CreateAccountWithSeed", "AdvanceNonceAccount", "WithdrawNonceAccount", "InitializeNonceAccount",
      "AuthorizeNonceAccount", "Allocate", "AllocateWithSeed", "AssignWithSeed", "TransferWithSeed",
      "UpgradeNonceAccount");
  private static final List<String> TOKEN_NAMES = List.of("InitializeMint", "InitializeAccount",
      "InitializeMultisig", "Transfer", "Approve", "Revoke", "SetAuthority", "MintTo", "Burn", "CloseAccount",
      "FreezeAccount", "ThawAccount", "TransferChecked", "ApproveChecked", "MintToChecked", "BurnChecked",
      "InitializeAccount2", "SyncNative", "InitializeAccount3", "InitializeMultisig2", "InitializeMint2",
      "GetAccountDataSize", "InitializeImmutableOwner", "AmountToUiAmount", "UiAmountToAmount");

  /** Account positions of the fields Privy names, per instruction. */
  private static final Map<String, Map<String, Integer>> SYSTEM_ACCOUNTS = Map.of(
      "Transfer", Map.of("from", 0, "to", 1));
  private static final Map<String, Map<String, Integer>> TOKEN_ACCOUNTS = Map.of(
      "Transfer", Map.of("source", 0, "destination", 1, "authority", 2),
      "TransferChecked", Map.of("source", 0, "mint", 1, "destination", 2, "authority", 3),
      "Burn", Map.of("account", 0, "mint", 1, "authority", 2),
      "MintTo", Map.of("mint", 0, "account", 1, "authority", 2),
      "CloseAccount", Map.of("account", 0, "destination", 1, "authority", 2),
      "InitializeAccount3", Map.of("account", 0, "mint", 1));

  /** The fields a policy may name, per source; validated when a policy is created. */
  public static final Map<String, List<String>> SYSTEM_FIELDS = Map.of(
      "Transfer", List.of("from", "to", "lamports"));
  public static final Map<String, List<String>> TOKEN_FIELDS = Map.of(
      "Transfer", List.of("source", "destination", "authority", "amount"),
      "TransferChecked", List.of("source", "destination", "authority", "amount", "mint"),
      "Burn", List.of("account", "mint", "authority", "amount"),
      "MintTo", List.of("mint", "account", "authority", "amount"),
      "CloseAccount", List.of("account", "destination", "authority"),
      "InitializeAccount3", List.of("account", "mint", "owner"));

  private Programs() {}

  /** A field's value in one instruction: a known value, or an address the message does not contain. */
  public sealed interface Read permits Known, Hidden, Absent {}

  /** @param number whether the value is an amount (decimal) rather than an address or a name */
  public record Known(String text, boolean number) implements Read {}

  /** The field is an account loaded from an address lookup table. */
  public record Hidden(String table) implements Read {}

  /** The instruction does not have this field (another program or instruction, or short data). */
  public record Absent() implements Read {}

  private static final Read ABSENT = new Absent();

  public static boolean isToken(final String programId) {
    return TOKEN.equals(programId) || TOKEN_2022.equals(programId);
  }

  /** {@code instructionName} or {@code <Instruction>.<field>} of a System Program instruction. */
  public static Read system(final SolanaMessage message, final Instruction instruction, final String field) {
    if (!SYSTEM.equals(message.staticKeys().get(instruction.programIdIndex()))) {
      return ABSENT;
    }
    final byte[] data = instruction.data();
    if (data.length < 4) {
      return ABSENT;
    }
    final long index = littleEndian(data, 0, 4).longValueExact();
    final Optional<String> name = index < SYSTEM_NAMES.size() ? Optional.of(SYSTEM_NAMES.get((int) index)) : Optional.empty();
    if (field.equals("instructionName")) {
      return name.<Read>map(n -> new Known(n, false)).orElse(ABSENT);
    }
    if (name.isEmpty() || !field.startsWith(name.get() + ".")) {
      return ABSENT;
    }
    final String member = field.substring(name.get().length() + 1);
    if (member.equals("lamports")) {
      return data.length >= 12 ? new Known(littleEndian(data, 4, 8).toString(), true) : ABSENT;
    }
    return account(message, instruction, SYSTEM_ACCOUNTS.getOrDefault(name.get(), Map.of()).get(member));
  }

  /** {@code instructionName} or {@code <Instruction>.<field>} of an SPL Token (or Token-2022) instruction. */
  public static Read token(final SolanaMessage message, final Instruction instruction, final String field) {
    if (!isToken(message.staticKeys().get(instruction.programIdIndex()))) {
      return ABSENT;
    }
    final byte[] data = instruction.data();
    if (data.length < 1) {
      return ABSENT;
    }
    final int index = data[0] & 0xff;
    final Optional<String> name = index < TOKEN_NAMES.size() ? Optional.of(TOKEN_NAMES.get(index)) : Optional.empty();
    if (field.equals("instructionName")) {
      return name.<Read>map(n -> new Known(n, false)).orElse(ABSENT);
    }
    if (name.isEmpty() || !field.startsWith(name.get() + ".")) {
      return ABSENT;
    }
    final String member = field.substring(name.get().length() + 1);
    if (member.equals("amount")) {
      return data.length >= 9 ? new Known(littleEndian(data, 1, 8).toString(), true) : ABSENT;
    }
    if (name.get().equals("InitializeAccount3") && member.equals("owner")) {
      return data.length >= 33
          ? new Known(Base58.encode(java.util.Arrays.copyOfRange(data, 1, 33)), false) : ABSENT;
    }
    return account(message, instruction, TOKEN_ACCOUNTS.getOrDefault(name.get(), Map.of()).get(member));
  }

  private static Read account(final SolanaMessage message, final Instruction instruction, final Integer position) {
    if (position == null || position >= instruction.accountIndexes().size()) {
      return ABSENT;
    }
    final int index = instruction.accountIndexes().get(position);
    return message.account(index).<Read>map(a -> new Known(a, false))
        .orElseGet(() -> new Hidden(tableOf(message, index)));
  }

  private static String tableOf(final SolanaMessage message, final int index) {
    int next = message.staticKeys().size();
    for (final AddressLookup lookup : message.lookups()) {
      next += lookup.writableIndexes().size();
      if (index < next) {
        return lookup.table();
      }
    }
    for (final AddressLookup lookup : message.lookups()) {
      next += lookup.readonlyIndexes().size();
      if (index < next) {
        return lookup.table();
      }
    }
    return "?";
  }

  private static BigInteger littleEndian(final byte[] data, final int offset, final int length) {
    final byte[] big = new byte[length];
    for (int i = 0; i < length; i++) {
      big[i] = data[offset + length - 1 - i];
    }
    return new BigInteger(1, big);
  }
}
