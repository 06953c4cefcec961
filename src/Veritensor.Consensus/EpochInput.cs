namespace Veritensor.Consensus;

/// <summary>Everything one epoch reads from chain state (spec §3). Arrays are indexed by uid and have length <see cref="N"/>.</summary>
/// <param name="N">Number of uids.</param>
/// <param name="Block">Current block.</param>
/// <param name="Parameters">Subnet hyperparameters.</param>
/// <param name="Stake">Raw stake per uid (alpha + tao_weight · tao, already combined) in I64F64.</param>
/// <param name="BlockAtRegistration">Block each uid's current occupant registered.</param>
/// <param name="LastUpdate">Block of each uid's last weights (or weight commit).</param>
/// <param name="ValidatorPermit">Permits written by the previous epoch.</param>
/// <param name="Weights">Stored weight rows (uid, u16); rows of length N (empty for none).</param>
/// <param name="Bonds">Stored bond rows (uid, u16) written by the previous epoch.</param>
/// <param name="RaoEmission">Emission distributed by this epoch.</param>
/// <param name="EarliestCommitBlock">With commit-reveal on: each uid's earliest unexpired commit block (null = none); null when off.</param>
public sealed record EpochInput(
    int N,
    ulong Block,
    EpochHyperparameters Parameters,
    I64F64[] Stake,
    ulong[] BlockAtRegistration,
    ulong[] LastUpdate,
    bool[] ValidatorPermit,
    U16Entry[][] Weights,
    U16Entry[][] Bonds,
    ulong RaoEmission,
    ulong?[]? EarliestCommitBlock = null
);
