using System.Text.Json;
using Veritensor.Consensus;

namespace Veritensor.Cli.Yuma;

/// <summary>One <c>epoch_sequence</c> case of a vectors file: a subnet's starting state and the steps replayed on it.</summary>
internal sealed record YumaCase(
    string Name,
    EpochHyperparameters Parameters,
    YumaInitialState Initial,
    IReadOnlyList<YumaStep> Steps
);

/// <summary>The subnet before the first step (<c>initial_state</c>).</summary>
internal sealed record YumaInitialState(
    int N,
    ulong Block,
    ulong[] Stake,
    ulong[] BlockAtRegistration,
    ulong[] LastUpdate,
    bool[] ValidatorPermit,
    U16Entry[][] Weights,
    U16Entry[][] Bonds
);

/// <summary>One step: set the block, apply the actions, run one epoch. <see cref="Expect"/> and <see cref="Derived"/> are kept raw for tests.</summary>
internal sealed record YumaStep(
    ulong Block,
    IReadOnlyList<YumaAction> Actions,
    ulong RaoEmission,
    JsonElement? Expect,
    JsonElement? Derived
);
