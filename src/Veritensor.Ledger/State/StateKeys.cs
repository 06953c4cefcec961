using Veritensor.Core.Crypto;

namespace Veritensor.Ledger.State;

/// <summary>
/// The layout of the key-value state. Every key starts with a one-byte namespace; the values are
/// canonical encodings. The layout is consensus: changing it changes every state root.
/// </summary>
public static class StateKeys
{
    public const byte ChainNamespace = 0x00;
    public const byte AccountNamespace = 0x01;
    public const byte StakeNamespace = 0x02;
    public const byte HotkeyStakeNamespace = 0x03;
    public const byte NodeNamespace = 0x04;
    public const byte SubnetNamespace = 0x05;
    public const byte NeuronNamespace = 0x06;
    public const byte NeuronUidNamespace = 0x07;
    public const byte WeightsNamespace = 0x08;
    public const byte WeightCommitNamespace = 0x09;
    public const byte HotkeyOwnerNamespace = 0x0A;
    public const byte SubnetEmissionNamespace = 0x0B;
    public const byte BondsNamespace = 0x0C;
    public const byte DelegateTakeNamespace = 0x0D;
    public const byte NominatorsNamespace = 0x0E;
    public const byte ModelNamespace = 0x0F;
    public const byte ModelVersionNamespace = 0x10;
    public const byte ModelLatestNamespace = 0x11;
    public const byte ModelServerNamespace = 0x12;
    public const byte InferenceRecordNamespace = 0x13;
    public const byte DisputeNamespace = 0x14;
    public const byte InferenceBatchNamespace = 0x15;
    public const byte WithdrawalNamespace = 0x16;
    public const byte WithdrawalsDueNamespace = 0x17;
    public const byte OpenDisputesNamespace = 0x18;
    public const byte FreshStakeNamespace = 0x19;
    public const byte HotkeySubnetCountNamespace = 0x1A;
    public const byte VerifierSlotNamespace = 0x1B;
    public const byte VerifierPositionNamespace = 0x1C;
    public const byte VerifierChangesNamespace = 0x1D;

    /// <summary>The inference parameters; absent means the defaults (a genesis without an <c>inference</c> section).</summary>
    public static byte[] InferenceParameters { get; } = Named("inference-parameters");

    /// <summary>
    /// How many verifiers the verifier index holds (u32): the verifier nodes with at least the minimum stake, what
    /// verifier selection draws from. The index is a dense array of slots 0..count-1 (<see cref="VerifierSlot"/>), with
    /// each verifier's slot under <see cref="VerifierPosition"/>, so entering or leaving it writes three keys whatever its
    /// size.
    /// </summary>
    public static byte[] VerifierCount { get; } = Named("verifier-index/count");

    /// <summary>The hotkey in slot <paramref name="slot"/> of the verifier index.</summary>
    public static byte[] VerifierSlot(uint slot)
    {
        Span<byte> bytes = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, slot);
        return Prefixed(VerifierSlotNamespace, bytes);
    }

    /// <summary>
    /// The slot (u32) <paramref name="hotkey"/> holds in the verifier index and the stake (u64) it is indexed with; absent
    /// when it is not in it.
    /// </summary>
    public static byte[] VerifierPosition(Address hotkey) => Prefixed(VerifierPositionNamespace, hotkey.PublicKey);

    /// <summary>
    /// What the verifier index held, before block <paramref name="height"/> changed it, for each verifier that block
    /// changed (<see cref="Inference.VerifierHistory"/>); kept for the anchor window, so draws read the index at a
    /// request's anchor block.
    /// </summary>
    public static byte[] VerifierChanges(ulong height)
    {
        Span<byte> bytes = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, height);
        return Prefixed(VerifierChangesNamespace, bytes);
    }

    /// <summary>How many verifiers the block being executed changed so far (u32); its entries are <see cref="VerifierChangePending"/>.</summary>
    public static byte[] VerifierChangesPendingCount { get; } = Named("verifier-changes/pending");

    /// <summary>
    /// Entry <paramref name="index"/> of the block being executed's verifier changes (one key each, so noting one costs
    /// the same however many came before); filed under the block's height as one list when the block ends.
    /// </summary>
    public static byte[] VerifierChangePending(uint index)
    {
        Span<byte> bytes = stackalloc byte[5];
        bytes[0] = 0xFF;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes[1..], index);
        return Prefixed(VerifierChangesNamespace, bytes);
    }

    /// <summary>Present while the block being executed has noted a change of <paramref name="hotkey"/>: only its first change is kept.</summary>
    public static byte[] VerifierChangedThisBlock(Address hotkey) =>
        Prefixed(VerifierChangesNamespace, [0xFE, .. hotkey.PublicKey]);

    /// <summary>A published model, by content id.</summary>
    public static byte[] Model(Hash256 contentId) => Prefixed(ModelNamespace, contentId.Span);

    /// <summary>The content id of one version of a model name. The name is length-prefixed so one name's versions scan together.</summary>
    public static byte[] ModelVersion(string name, string version) =>
        Prefixed(ModelVersionNamespace, [.. ModelName(name), .. System.Text.Encoding.UTF8.GetBytes(version)]);

    /// <summary>The prefix of every version of <paramref name="name"/>.</summary>
    public static byte[] ModelVersionsOf(string name) => Prefixed(ModelVersionNamespace, ModelName(name));

    /// <summary>The last published version of a model name.</summary>
    public static byte[] ModelLatest(string name) =>
        Prefixed(ModelLatestNamespace, System.Text.Encoding.UTF8.GetBytes(name));

    /// <summary>Present when <paramref name="hotkey"/> serves the model; scans by content id list its servers.</summary>
    public static byte[] ModelServer(Hash256 contentId, Address hotkey) =>
        Prefixed(ModelServerNamespace, [.. contentId.Span, .. hotkey.PublicKey]);

    public static byte[] ModelServersOf(Hash256 contentId) => Prefixed(ModelServerNamespace, contentId.Span);

    /// <summary>The summary of a recorded inference, by request id.</summary>
    public static byte[] InferenceRecord(Hash256 requestId) => Prefixed(InferenceRecordNamespace, requestId.Span);

    public static byte[] Dispute(Hash256 id) => Prefixed(DisputeNamespace, id.Span);

    public static byte[] InferenceBatch(Hash256 root) => Prefixed(InferenceBatchNamespace, root.Span);

    private static byte[] ModelName(string name)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(name);
        return [checked((byte)bytes.Length), .. bytes];
    }

    /// <summary>The chain parameters fixed by genesis.</summary>
    public static byte[] Parameters { get; } = Named("parameters");

    /// <summary>Total tokens in existence (free plus staked plus locked in subnets).</summary>
    public static byte[] TotalIssuance { get; } = Named("total-issuance");

    /// <summary>Tokens destroyed by registration burns (already removed from <see cref="TotalIssuance"/>).</summary>
    public static byte[] TotalBurned { get; } = Named("total-burned");

    /// <summary>
    /// Tokens created by subnet emission and paid out (owner cuts and epoch payouts; already in <see cref="TotalIssuance"/>).
    /// Emission accrued but not yet paid sits in <see cref="SubnetEmission"/> records and is not part of issuance.
    /// </summary>
    public static byte[] TotalMinted { get; } = Named("total-minted");

    /// <summary>The subnet rules fixed by genesis (emission schedule, lock cost, minimum tempo); absent means the defaults.</summary>
    public static byte[] SubnetParameters { get; } = Named("subnet-parameters");

    /// <summary>The netuid the next CreateSubnet gets; absent means 1.</summary>
    public static byte[] NextNetuid { get; } = Named("next-netuid");

    // Subnet keys put the netuid (and uid) big-endian so that a subnet's entries sort together and in uid order.
    public static byte[] Subnet(ushort netuid) => Prefixed(SubnetNamespace, U16(netuid));

    public static byte[] Neuron(ushort netuid, ushort uid) => Prefixed(NeuronNamespace, [.. U16(netuid), .. U16(uid)]);

    /// <summary>The uid a hotkey holds on a subnet.</summary>
    public static byte[] NeuronUid(ushort netuid, Address hotkey) =>
        Prefixed(NeuronUidNamespace, [.. U16(netuid), .. hotkey.PublicKey]);

    /// <summary>The stored (max-upscaled) weight row that uid sets on its subnet.</summary>
    public static byte[] Weights(ushort netuid, ushort uid) =>
        Prefixed(WeightsNamespace, [.. U16(netuid), .. U16(uid)]);

    public static byte[] WeightCommit(ushort netuid, Address hotkey) =>
        Prefixed(WeightCommitNamespace, [.. U16(netuid), .. hotkey.PublicKey]);

    /// <summary>A subnet's emission bookkeeping: the amount accrued since its last payout and the block of its last epoch.</summary>
    public static byte[] SubnetEmission(ushort netuid) => Prefixed(SubnetEmissionNamespace, U16(netuid));

    /// <summary>The bond row of a uid written by the last epoch (sparse u16 entries, like <see cref="Weights"/>).</summary>
    public static byte[] Bonds(ushort netuid, ushort uid) => Prefixed(BondsNamespace, [.. U16(netuid), .. U16(uid)]);

    /// <summary>The coldkey a hotkey was first registered to as a neuron: nobody else may register it afterwards.</summary>
    public static byte[] HotkeyOwner(Address hotkey) => Prefixed(HotkeyOwnerNamespace, hotkey.PublicKey);

    private static byte[] U16(ushort value) => [(byte)(value >> 8), (byte)value];

    public static byte[] Account(Address address) => Prefixed(AccountNamespace, address.PublicKey);

    /// <summary>The stake a coldkey holds on a hotkey; prefix scans by coldkey list its stakes.</summary>
    public static byte[] Stake(Address coldkey, Address hotkey)
    {
        var key = new byte[1 + 2 * Address.Size];
        key[0] = StakeNamespace;
        coldkey.PublicKey.CopyTo(key.AsSpan(1));
        hotkey.PublicKey.CopyTo(key.AsSpan(1 + Address.Size));
        return key;
    }

    public static byte[] StakesOf(Address coldkey) => Prefixed(StakeNamespace, coldkey.PublicKey);

    /// <summary>The number of subnets a hotkey holds a uid in.</summary>
    public static byte[] HotkeySubnetCount(Address hotkey) => Prefixed(HotkeySubnetCountNamespace, hotkey.PublicKey);

    /// <summary>The part of a coldkey's stake on a hotkey added since a block, which earns no nominator share yet (<see cref="StakeMaturity"/>).</summary>
    public static byte[] FreshStake(Address coldkey, Address hotkey) =>
        Prefixed(FreshStakeNamespace, [.. coldkey.PublicKey, .. hotkey.PublicKey]);

    /// <summary>A coldkey's stake on a node hotkey that is unbonding (still staked and slashable until released).</summary>
    public static byte[] Withdrawal(Address coldkey, Address hotkey) =>
        Prefixed(WithdrawalNamespace, [.. coldkey.PublicKey, .. hotkey.PublicKey]);

    /// <summary>The (coldkey, hotkey) pairs whose withdrawal is released at a height.</summary>
    public static byte[] WithdrawalsDue(ulong height)
    {
        Span<byte> bytes = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, height);
        return Prefixed(WithdrawalsDueNamespace, bytes);
    }

    /// <summary>How many pending disputes name a hotkey (as executor or verifier): while any does, its stake is frozen.</summary>
    public static byte[] OpenDisputes(Address hotkey) => Prefixed(OpenDisputesNamespace, hotkey.PublicKey);

    /// <summary>The sum of all stake on a hotkey: its weight as a validator or node.</summary>
    public static byte[] HotkeyStake(Address hotkey) => Prefixed(HotkeyStakeNamespace, hotkey.PublicKey);

    /// <summary>The share of its validator emission a hotkey keeps before its nominators are paid (u16 proportion); absent means the default.</summary>
    public static byte[] DelegateTake(Address hotkey) => Prefixed(DelegateTakeNamespace, hotkey.PublicKey);

    /// <summary>The coldkeys holding stake on a hotkey, sorted: the index the epoch's delegation payout reads.</summary>
    public static byte[] Nominators(Address hotkey) => Prefixed(NominatorsNamespace, hotkey.PublicKey);

    public static byte[] Node(Address hotkey) => Prefixed(NodeNamespace, hotkey.PublicKey);

    private static byte[] Named(string name)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(name);
        return Prefixed(ChainNamespace, bytes);
    }

    private static byte[] Prefixed(byte prefix, ReadOnlySpan<byte> rest)
    {
        var key = new byte[1 + rest.Length];
        key[0] = prefix;
        rest.CopyTo(key.AsSpan(1));
        return key;
    }
}
