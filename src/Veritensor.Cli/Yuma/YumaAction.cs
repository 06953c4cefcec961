namespace Veritensor.Cli.Yuma;

/// <summary>An action applied to the subnet state before a step's epoch.</summary>
internal abstract record YumaAction(string Path);

/// <summary><c>set_weights</c>: the row becomes zip(uids, stored_u16); the replay checks the max-upscale of the submitted values gives stored_u16.</summary>
internal sealed record SetWeightsAction(
    string Path,
    int Uid,
    int[] Uids,
    ushort[] ValuesSubmitted,
    ushort[] StoredU16,
    ulong? AtBlock
) : YumaAction(Path);

/// <summary><c>replace_neuron</c>: a new hotkey takes the uid.</summary>
internal sealed record ReplaceNeuronAction(string Path, int Uid, ulong NewStake, ulong AtBlock) : YumaAction(Path);

/// <summary><c>reset_bond_column</c>: column uid removed from every stored bond row.</summary>
internal sealed record ResetBondColumnAction(string Path, int Uid, ulong? AtBlock) : YumaAction(Path);
