using System.Text.Json;
using Veritensor.Consensus;

namespace Veritensor.Cli.Yuma;

/// <summary>One <c>epoch_sequence</c> case of a vectors file: a subnet's starting state and the steps replayed on it.</summary>
public sealed record YumaCase(string Name, EpochHyperparameters Parameters, YumaInitialState Initial, IReadOnlyList<YumaStep> Steps);

/// <summary>The subnet before the first step (<c>initial_state</c>).</summary>
public sealed record YumaInitialState(
    int N,
    ulong Block,
    ulong[] Stake,
    ulong[] BlockAtRegistration,
    ulong[] LastUpdate,
    bool[] ValidatorPermit,
    U16Entry[][] Weights,
    U16Entry[][] Bonds);

/// <summary>One step: set the block, apply the actions, run one epoch. <see cref="Expect"/> and <see cref="Derived"/> are kept raw for tests.</summary>
public sealed record YumaStep(ulong Block, IReadOnlyList<YumaAction> Actions, ulong RaoEmission, JsonElement? Expect, JsonElement? Derived);

/// <summary>An action applied to the subnet state before a step's epoch.</summary>
public abstract record YumaAction(string Path);

/// <summary><c>set_weights</c>: the row becomes zip(uids, stored_u16); the replay checks the max-upscale of the submitted values gives stored_u16.</summary>
public sealed record SetWeightsAction(string Path, int Uid, int[] Uids, ushort[] ValuesSubmitted, ushort[] StoredU16, ulong? AtBlock) : YumaAction(Path);

/// <summary><c>replace_neuron</c>: a new hotkey takes the uid.</summary>
public sealed record ReplaceNeuronAction(string Path, int Uid, ulong NewStake, ulong AtBlock) : YumaAction(Path);

/// <summary><c>reset_bond_column</c>: column uid removed from every stored bond row.</summary>
public sealed record ResetBondColumnAction(string Path, int Uid, ulong? AtBlock) : YumaAction(Path);
