using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.State;

/// <summary>Typed reads and writes of the delegation state: delegate takes and the nominator index of each hotkey.</summary>
public static class DelegationAccessors
{
    public static ushort GetDelegateTake(this IStateView state, Address hotkey)
    {
        if (state.Get(StateKeys.DelegateTake(hotkey)) is not { } bytes)
            return DelegateTake.Default;
        var reader = new CanonicalReader(bytes);
        var take = reader.ReadU16("take");
        reader.EnsureEnd("take");
        return take;
    }

    public static void SetDelegateTake(this IStateView state, Address hotkey, ushort take) =>
        state.Set(StateKeys.DelegateTake(hotkey), new CanonicalWriter(2).WriteU16(take).ToArray());

    /// <summary>The coldkeys with a non-zero stake on <paramref name="hotkey"/>, in ascending address order.</summary>
    public static IReadOnlyList<Address> GetNominators(this IStateView state, Address hotkey)
    {
        if (state.Get(StateKeys.Nominators(hotkey)) is not { } bytes)
            return [];
        if (bytes.Length % Address.Size != 0)
            throw new InvalidOperationException($"The nominator index of {hotkey} is corrupt.");
        var list = new Address[bytes.Length / Address.Size];
        for (var i = 0; i < list.Length; i++)
            list[i] = new Address(bytes.AsSpan(i * Address.Size, Address.Size));
        return list;
    }

    /// <summary>Adds or removes <paramref name="coldkey"/> in the hotkey's sorted nominator index.</summary>
    internal static void UpdateNominators(IStateView state, Address hotkey, Address coldkey, bool present)
    {
        var list = new List<Address>(state.GetNominators(hotkey));
        var index = list.BinarySearch(coldkey);
        if (present && index < 0)
            list.Insert(~index, coldkey);
        else if (!present && index >= 0)
            list.RemoveAt(index);
        else
            return;
        if (list.Count == 0)
        {
            state.Delete(StateKeys.Nominators(hotkey));
            return;
        }
        var bytes = new byte[list.Count * Address.Size];
        for (var i = 0; i < list.Count; i++)
            list[i].PublicKey.CopyTo(bytes.AsSpan(i * Address.Size));
        state.Set(StateKeys.Nominators(hotkey), bytes);
    }
}
