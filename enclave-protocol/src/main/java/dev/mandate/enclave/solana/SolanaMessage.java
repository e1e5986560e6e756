package dev.mandate.enclave.solana;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed Solana message, legacy or v0, holding the exact bytes it was parsed from: those bytes are
 * what gets signed, never a re-serialization. Parsing is strict (the checks the runtime's sanitizer
 * makes, and more): counts within bounds, no duplicate keys, program ids static and not the fee
 * payer, every account index within the static keys plus the lookups, no trailing bytes.
 */
public final class SolanaMessage {
  /** The dummy blockhash ({@code 111…1}, 32 zero bytes) that asks the sender to fill in a recent one. */
  public static final String DUMMY_BLOCKHASH = "11111111111111111111111111111111";
  private static final int VERSION_PREFIX = 0x80;

  private final boolean versioned;
  private final int numRequiredSignatures;
  private final int numReadonlySigned;
  private final int numReadonlyUnsigned;
  private final List<String> staticKeys;
  private final String recentBlockhash;
  private final List<Instruction> instructions;
  private final List<AddressLookup> lookups;
  private final byte[] bytes;

  private SolanaMessage(final boolean versioned, final int[] header, final List<String> staticKeys,
      final String recentBlockhash, final List<Instruction> instructions, final List<AddressLookup> lookups,
      final byte[] bytes) {
    this.versioned = versioned;
    this.numRequiredSignatures = header[0];
    this.numReadonlySigned = header[1];
    this.numReadonlyUnsigned = header[2];
    this.staticKeys = List.copyOf(staticKeys);
    this.recentBlockhash = recentBlockhash;
    this.instructions = List.copyOf(instructions);
    this.lookups = List.copyOf(lookups);
    this.bytes = bytes.clone();
  }

  /** Parses exactly {@code bytes} as a message; anything left over is refused. */
  public static SolanaMessage parse(final byte[] bytes) {
    final WireReader in = new WireReader(bytes);
    final SolanaMessage message = read(in, bytes);
    if (!in.atEnd()) {
      throw new MalformedTransactionException("the message has " + (bytes.length - in.position()) + " trailing bytes");
    }
    return message;
  }

  /** Reads a message starting at {@code in}'s position, to the end of {@code all}. */
  static SolanaMessage read(final WireReader in, final byte[] all) {
    final int start = in.position();
    final int first = in.u8("the message header");
    final boolean versioned = (first & VERSION_PREFIX) != 0;
    if (versioned && first != VERSION_PREFIX) {
      throw new MalformedTransactionException("message version " + (first & 0x7f) + " is not supported (only legacy and v0)");
    }
    final int[] header = {versioned ? in.u8("the message header") : first, in.u8("the message header"),
        in.u8("the message header")};
    final List<String> keys = keys(in);
    checkHeader(header, keys.size());
    final String blockhash = Base58.encode(in.take(32, "the recent blockhash"));
    final List<Instruction> instructions = instructions(in);
    final List<AddressLookup> lookups = versioned ? lookups(in) : List.of();
    final int accounts = keys.size() + lookups.stream()
        .mapToInt(l -> l.writableIndexes().size() + l.readonlyIndexes().size()).sum();
    if (accounts > 256) {
      throw new MalformedTransactionException("the message loads more than 256 accounts");
    }
    checkInstructions(instructions, keys.size(), accounts);
    final byte[] messageBytes = java.util.Arrays.copyOfRange(all, start, in.position());
    return new SolanaMessage(versioned, header, keys, blockhash, instructions, lookups, messageBytes);
  }

  private static List<String> keys(final WireReader in) {
    final int count = in.compactU16("the account key count");
    final List<String> keys = new ArrayList<>(count);
    final Set<String> seen = new HashSet<>();
    for (int i = 0; i < count; i++) {
      final String key = Base58.encode(in.take(32, "account key " + i));
      if (!seen.add(key)) {
        throw new MalformedTransactionException("account key " + i + " appears twice in the message");
      }
      keys.add(key);
    }
    return keys;
  }

  private static void checkHeader(final int[] header, final int keys) {
    if (header[0] == 0) {
      throw new MalformedTransactionException("the message requires no signatures");
    }
    if (header[1] >= header[0]) {
      throw new MalformedTransactionException("the fee payer must be a writable signer");
    }
    if (header[0] + header[2] > keys) {
      throw new MalformedTransactionException("the message header counts more accounts than the message has");
    }
  }

  private static List<Instruction> instructions(final WireReader in) {
    final int count = in.compactU16("the instruction count");
    final List<Instruction> out = new ArrayList<>(Math.min(count, 256));
    for (int i = 0; i < count; i++) {
      final String what = "instruction " + i;
      final int program = in.u8(what);
      final int n = in.compactU16(what + "'s account count");
      final List<Integer> accounts = new ArrayList<>(Math.min(n, 256));
      for (int a = 0; a < n; a++) {
        accounts.add(in.u8(what + "'s accounts"));
      }
      final int length = in.compactU16(what + "'s data length");
      out.add(new Instruction(program, accounts, in.take(length, what + "'s data")));
    }
    return out;
  }

  private static List<AddressLookup> lookups(final WireReader in) {
    final int count = in.compactU16("the address table lookup count");
    final List<AddressLookup> out = new ArrayList<>(Math.min(count, 256));
    for (int i = 0; i < count; i++) {
      final String table = Base58.encode(in.take(32, "address table lookup " + i));
      final List<Integer> writable = indexes(in, "address table lookup " + i + "'s writable indexes");
      final List<Integer> readonly = indexes(in, "address table lookup " + i + "'s readonly indexes");
      if (writable.isEmpty() && readonly.isEmpty()) {
        throw new MalformedTransactionException("address table lookup " + i + " loads no accounts");
      }
      out.add(new AddressLookup(table, writable, readonly));
    }
    return out;
  }

  private static List<Integer> indexes(final WireReader in, final String what) {
    final int n = in.compactU16(what);
    final List<Integer> out = new ArrayList<>(Math.min(n, 256));
    for (int i = 0; i < n; i++) {
      out.add(in.u8(what));
    }
    return out;
  }

  private static void checkInstructions(final List<Instruction> instructions, final int staticKeys, final int accounts) {
    for (int i = 0; i < instructions.size(); i++) {
      final Instruction instruction = instructions.get(i);
      if (instruction.programIdIndex() == 0 || instruction.programIdIndex() >= staticKeys) {
        throw new MalformedTransactionException("instruction " + i + "'s program id must be a static account other than the fee payer");
      }
      for (final int index : instruction.accountIndexes()) {
        if (index >= accounts) {
          throw new MalformedTransactionException("instruction " + i + " names account " + index
              + " but the message has " + accounts);
        }
      }
    }
  }

  /** Whether this is a v0 message (first byte {@code 0x80}). */
  public boolean versioned() {
    return versioned;
  }

  public int numRequiredSignatures() {
    return numRequiredSignatures;
  }

  public int numReadonlySigned() {
    return numReadonlySigned;
  }

  public int numReadonlyUnsigned() {
    return numReadonlyUnsigned;
  }

  /** The accounts the message itself lists (base58), signers first. */
  public List<String> staticKeys() {
    return staticKeys;
  }

  /** The signers' addresses, fee payer first, in signature-slot order. */
  public List<String> signers() {
    return staticKeys.subList(0, numRequiredSignatures);
  }

  /** Who pays the fee: the first signer. */
  public String feePayer() {
    return staticKeys.get(0);
  }

  public String recentBlockhash() {
    return recentBlockhash;
  }

  /** Whether the sender is asked to fill the blockhash ({@link #DUMMY_BLOCKHASH}). */
  public boolean hasDummyBlockhash() {
    return DUMMY_BLOCKHASH.equals(recentBlockhash);
  }

  public List<Instruction> instructions() {
    return instructions;
  }

  public List<AddressLookup> lookups() {
    return lookups;
  }

  /**
   * The address of account {@code index} as an instruction names it; empty when it is loaded from an
   * address lookup table, which the enclave cannot see.
   */
  public Optional<String> account(final int index) {
    return index < staticKeys.size() ? Optional.of(staticKeys.get(index)) : Optional.empty();
  }

  /** The signature slot of {@code address}, if it is one of the required signers. */
  public Optional<Integer> signerSlot(final String address) {
    final int slot = signers().indexOf(address);
    return slot < 0 ? Optional.empty() : Optional.of(slot);
  }

  /** The exact bytes that are signed (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * This message with another recent blockhash, bytes otherwise unchanged (the blockhash sits right
   * after the account keys, at the same offset in both versions).
   */
  public SolanaMessage withBlockhash(final byte[] blockhash) {
    if (blockhash.length != 32) {
      throw new IllegalArgumentException("a blockhash is 32 bytes");
    }
    final int offset = (versioned ? 4 : 3) + WireReader.compactU16Bytes(staticKeys.size()).length + 32 * staticKeys.size();
    final byte[] changed = bytes.clone();
    System.arraycopy(blockhash, 0, changed, offset, 32);
    return parse(changed);
  }
}
