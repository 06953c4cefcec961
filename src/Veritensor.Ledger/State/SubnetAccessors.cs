using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;
using Veritensor.Ledger.Subnets;

namespace Veritensor.Ledger.State;

/// <summary>Typed reads and writes of subnets, neurons, weights and commits (the subnet part of <see cref="StateKeys"/>).</summary>
public static class SubnetAccessors
{
    public static ushort GetNextNetuid(this IStateView state) =>
        state.Get(StateKeys.NextNetuid) is { } bytes ? ReadU16(bytes, "next netuid") : (ushort)1;

    public static void SetNextNetuid(this IStateView state, ushort netuid) =>
        state.Set(StateKeys.NextNetuid, new CanonicalWriter(2).WriteU16(netuid).ToArray());

    /// <summary>Every netuid assigned so far (netuids are never reused).</summary>
    public static IEnumerable<ushort> GetNetuids(this IStateView state)
    {
        var next = state.GetNextNetuid();
        for (var netuid = (ushort)1; netuid < next; netuid++)
            if (state.GetSubnet(netuid) is not null)
                yield return netuid;
    }

    public static Subnet? GetSubnet(this IStateView state, ushort netuid) =>
        state.Get(StateKeys.Subnet(netuid)) is { } bytes ? Subnet.Decode(bytes) : null;

    public static void SetSubnet(this IStateView state, ushort netuid, Subnet subnet) =>
        state.Set(StateKeys.Subnet(netuid), subnet.Encode());

    public static Neuron? GetNeuron(this IStateView state, ushort netuid, ushort uid) =>
        state.Get(StateKeys.Neuron(netuid, uid)) is { } bytes ? Neuron.Decode(bytes) : null;

    public static void SetNeuron(this IStateView state, ushort netuid, Neuron neuron) =>
        state.Set(StateKeys.Neuron(netuid, neuron.Uid), neuron.Encode());

    /// <summary>The uid <paramref name="hotkey"/> holds on the subnet, or null.</summary>
    public static ushort? GetUid(this IStateView state, ushort netuid, Address hotkey) =>
        state.Get(StateKeys.NeuronUid(netuid, hotkey)) is { } bytes ? ReadU16(bytes, "uid") : null;

    /// <summary>Gives <paramref name="hotkey"/> uid <paramref name="uid"/> in the subnet, counting a new subnet in <see cref="GetSubnetCount"/>.</summary>
    public static void SetUid(this IStateView state, ushort netuid, Address hotkey, ushort uid)
    {
        if (state.GetUid(netuid, hotkey) is null)
            SetSubnetCount(state, hotkey, state.GetSubnetCount(hotkey) + 1);
        state.Set(StateKeys.NeuronUid(netuid, hotkey), new CanonicalWriter(2).WriteU16(uid).ToArray());
    }

    public static void DeleteUid(this IStateView state, ushort netuid, Address hotkey)
    {
        if (state.GetUid(netuid, hotkey) is null)
            return;
        SetSubnetCount(state, hotkey, state.GetSubnetCount(hotkey) - 1);
        state.Delete(StateKeys.NeuronUid(netuid, hotkey));
    }

    /// <summary>How many subnets <paramref name="hotkey"/> holds a uid in: its stake backs each of them by that share.</summary>
    public static int GetSubnetCount(this IStateView state, Address hotkey) =>
        state.Get(StateKeys.HotkeySubnetCount(hotkey)) is { } bytes ? ReadU16(bytes, "subnet count") : 0;

    private static void SetSubnetCount(IStateView state, Address hotkey, int count)
    {
        if (count == 0)
            state.Delete(StateKeys.HotkeySubnetCount(hotkey));
        else
            state.Set(
                StateKeys.HotkeySubnetCount(hotkey),
                new CanonicalWriter(2).WriteU16(checked((ushort)count)).ToArray()
            );
    }

    /// <summary>The stored weight row of a uid: (target uid, max-upscaled value) pairs in the order they were set.</summary>
    public static IReadOnlyList<(ushort Uid, ushort Value)> GetWeights(this IStateView state, ushort netuid, ushort uid)
    {
        if (state.Get(StateKeys.Weights(netuid, uid)) is not { } bytes)
            return [];
        var reader = new CanonicalReader(bytes);
        var count = reader.ReadU16("count");
        var row = new (ushort, ushort)[count];
        for (var i = 0; i < count; i++)
            row[i] = (reader.ReadU16("uid"), reader.ReadU16("value"));
        reader.EnsureEnd("weights");
        return row;
    }

    public static void SetWeights(
        this IStateView state,
        ushort netuid,
        ushort uid,
        IReadOnlyList<ushort> uids,
        IReadOnlyList<ushort> values
    )
    {
        var writer = new CanonicalWriter(2 + 4 * uids.Count).WriteU16(checked((ushort)uids.Count));
        for (var i = 0; i < uids.Count; i++)
            writer.WriteU16(uids[i]).WriteU16(values[i]);
        state.Set(StateKeys.Weights(netuid, uid), writer.ToArray());
    }

    public static void DeleteWeights(this IStateView state, ushort netuid, ushort uid) =>
        state.Delete(StateKeys.Weights(netuid, uid));

    public static WeightCommit? GetWeightCommit(this IStateView state, ushort netuid, Address hotkey) =>
        state.Get(StateKeys.WeightCommit(netuid, hotkey)) is { } bytes ? WeightCommit.Decode(bytes) : null;

    public static void SetWeightCommit(this IStateView state, ushort netuid, Address hotkey, WeightCommit commit) =>
        state.Set(StateKeys.WeightCommit(netuid, hotkey), commit.Encode());

    public static void DeleteWeightCommit(this IStateView state, ushort netuid, Address hotkey) =>
        state.Delete(StateKeys.WeightCommit(netuid, hotkey));

    public static Address? GetHotkeyOwner(this IStateView state, Address hotkey) =>
        state.Get(StateKeys.HotkeyOwner(hotkey)) is { } bytes ? new Address(bytes) : null;

    public static void SetHotkeyOwner(this IStateView state, Address hotkey, Address coldkey) =>
        state.Set(StateKeys.HotkeyOwner(hotkey), coldkey.PublicKey.ToArray());

    public static Amount GetTotalBurned(this IStateView state) =>
        state.Get(StateKeys.TotalBurned) is { } bytes ? new Amount(ReadU64(bytes)) : Amount.Zero;

    public static void SetTotalBurned(this IStateView state, Amount amount) =>
        state.Set(StateKeys.TotalBurned, new CanonicalWriter(8).WriteAmount(amount).ToArray());

    public static Amount GetTotalMinted(this IStateView state) =>
        state.Get(StateKeys.TotalMinted) is { } bytes ? new Amount(ReadU64(bytes)) : Amount.Zero;

    public static void SetTotalMinted(this IStateView state, Amount amount) =>
        state.Set(StateKeys.TotalMinted, new CanonicalWriter(8).WriteAmount(amount).ToArray());

    /// <summary>The genesis subnet rules; <see cref="SubnetParameters.Default"/> when the state holds none.</summary>
    public static SubnetParameters GetSubnetParameters(this IStateView state) =>
        state.Get(StateKeys.SubnetParameters) is { } bytes ? SubnetParameters.Decode(bytes) : SubnetParameters.Default;

    /// <summary>Stores the genesis subnet rules; the defaults are not stored, so default chains keep their state roots.</summary>
    public static void SetSubnetParameters(this IStateView state, SubnetParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters == SubnetParameters.Default)
            state.Delete(StateKeys.SubnetParameters);
        else
            state.Set(StateKeys.SubnetParameters, parameters.Encode());
    }

    public static SubnetEmissionState GetSubnetEmission(this IStateView state, ushort netuid) =>
        state.Get(StateKeys.SubnetEmission(netuid)) is { } bytes
            ? SubnetEmissionState.Decode(bytes)
            : SubnetEmissionState.Empty;

    public static void SetSubnetEmission(this IStateView state, ushort netuid, SubnetEmissionState emission) =>
        state.Set(StateKeys.SubnetEmission(netuid), emission.Encode());

    /// <summary>The bond row the last epoch stored for a uid: (target uid, u16 bond) pairs in uid order.</summary>
    public static IReadOnlyList<(ushort Uid, ushort Value)> GetBonds(this IStateView state, ushort netuid, ushort uid)
    {
        if (state.Get(StateKeys.Bonds(netuid, uid)) is not { } bytes)
            return [];
        var reader = new CanonicalReader(bytes);
        var count = reader.ReadU16("count");
        var row = new (ushort, ushort)[count];
        for (var i = 0; i < count; i++)
            row[i] = (reader.ReadU16("uid"), reader.ReadU16("value"));
        reader.EnsureEnd("bonds");
        return row;
    }

    /// <summary>Stores a bond row; an empty row is deleted so that uids without bonds cost nothing in the state.</summary>
    public static void SetBonds(
        this IStateView state,
        ushort netuid,
        ushort uid,
        IReadOnlyList<(ushort Uid, ushort Value)> row
    )
    {
        if (row.Count == 0)
        {
            state.Delete(StateKeys.Bonds(netuid, uid));
            return;
        }
        var writer = new CanonicalWriter(2 + 4 * row.Count).WriteU16(checked((ushort)row.Count));
        foreach (var (target, value) in row)
            writer.WriteU16(target).WriteU16(value);
        state.Set(StateKeys.Bonds(netuid, uid), writer.ToArray());
    }

    /// <summary>Where the epoch (<see cref="ISubnetEpoch"/>) writes one uid's results.</summary>
    public static void SetEpochOutputs(this IStateView state, ushort netuid, ushort uid, EpochOutputs outputs)
    {
        var neuron = state.GetNeuron(netuid, uid)
            ?? throw new InvalidOperationException($"Subnet {netuid} has no uid {uid}.");
        state.SetNeuron(
            netuid,
            neuron with
            {
                ValidatorPermit = outputs.ValidatorPermit,
                Consensus = outputs.Consensus,
                Incentive = outputs.Incentive,
                Dividends = outputs.Dividends,
                Emission = outputs.Emission,
                ValidatorTrust = outputs.ValidatorTrust,
            }
        );
    }

    private static ushort ReadU16(byte[] bytes, string what)
    {
        var reader = new CanonicalReader(bytes);
        var value = reader.ReadU16(what);
        reader.EnsureEnd(what);
        return value;
    }

    private static ulong ReadU64(byte[] bytes)
    {
        var reader = new CanonicalReader(bytes);
        var value = reader.ReadU64("amount");
        reader.EnsureEnd("amount");
        return value;
    }
}
