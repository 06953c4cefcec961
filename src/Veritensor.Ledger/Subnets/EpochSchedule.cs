namespace Veritensor.Ledger.Subnets;

/// <summary>
/// When a subnet's epochs fall, by subtensor's legacy rule (yuma.md §1): an epoch runs at block b when
/// (b + netuid + 1) mod (tempo + 1) == 0. The index of the epoch a block belongs to counts those boundaries;
/// commit-reveal windows are expressed in it. This is also where the Yuma epoch will be triggered (see
/// <see cref="ISubnetEpoch"/>): the dynamic-tempo scheduler of newer releases needs stored per-subnet state and
/// is left to that work.
/// </summary>
internal static class EpochSchedule
{
    /// <summary>The number of epoch boundaries at or before <paramref name="height"/>.</summary>
    public static ulong EpochIndex(ushort netuid, ushort tempo, ulong height) =>
        (height + netuid + 1) / ((ulong)tempo + 1);

    /// <summary>Whether the epoch of <paramref name="netuid"/> runs at <paramref name="height"/>.</summary>
    public static bool IsEpochBlock(ushort netuid, ushort tempo, ulong height) =>
        tempo != 0 && (height + netuid + 1) % ((ulong)tempo + 1) == 0;
}
