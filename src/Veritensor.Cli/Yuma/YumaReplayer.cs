using Veritensor.Consensus;

namespace Veritensor.Cli.Yuma;

/// <summary>
/// Replays a case: per step, set the block, apply the actions, run one epoch, and carry the written validator
/// permits and bonds (as stored u16) into the next step, which is what makes the u16 round-trip drift reproducible.
/// </summary>
internal static class YumaReplayer
{
    public static IEnumerable<YumaStepOutput> Replay(YumaCase yumaCase)
    {
        ArgumentNullException.ThrowIfNull(yumaCase);
        var s = yumaCase.Initial;
        var n = s.N;
        var stake = (ulong[])s.Stake.Clone();
        var registration = (ulong[])s.BlockAtRegistration.Clone();
        var lastUpdate = (ulong[])s.LastUpdate.Clone();
        var permits = (bool[])s.ValidatorPermit.Clone();
        var weights = s.Weights.Select(r => (U16Entry[])r.Clone()).ToArray();
        var bonds = s.Bonds.Select(r => (U16Entry[])r.Clone()).ToArray();
        for (var k = 0; k < yumaCase.Steps.Count; k++)
        {
            var step = yumaCase.Steps[k];
            foreach (var action in step.Actions)
            {
                switch (action)
                {
                    case SetWeightsAction set:
                        var upscaled = WeightUpscale.MaxUpscaleToU16(set.ValuesSubmitted);
                        if (!upscaled.AsSpan().SequenceEqual(set.StoredU16))
                            throw new YumaFormatException(
                                $"{set.Path}: max-upscale of values_submitted [{string.Join(", ", set.ValuesSubmitted)}] gives [{string.Join(", ", upscaled)}], but stored_u16 is [{string.Join(", ", set.StoredU16)}]"
                            );
                        weights[set.Uid] = set
                            .Uids.Zip(set.StoredU16, (uid, value) => new U16Entry(uid, value))
                            .ToArray();
                        lastUpdate[set.Uid] = set.AtBlock ?? step.Block;
                        break;
                    case ReplaceNeuronAction replace:
                        var uid = replace.Uid;
                        registration[uid] = replace.AtBlock;
                        lastUpdate[uid] = replace.AtBlock;
                        weights[uid] = [];
                        bonds[uid] = [];
                        // Weights on the replaced uid are zeroed but kept as explicit entries, as subtensor does.
                        for (var i = 0; i < n; i++)
                            weights[i] = Array.ConvertAll(weights[i], e => e.Column == uid ? e with { Value = 0 } : e);
                        permits[uid] = false;
                        stake[uid] = replace.NewStake;
                        break;
                    case ResetBondColumnAction reset:
                        for (var i = 0; i < n; i++)
                            bonds[i] = Array.FindAll(bonds[i], e => e.Column != reset.Uid);
                        break;
                    default:
                        throw new InvalidOperationException($"unhandled action {action.GetType().Name}");
                }
            }
            var input = new EpochInput(
                n,
                step.Block,
                yumaCase.Parameters,
                Array.ConvertAll(stake, I64F64.FromUInt),
                registration,
                lastUpdate,
                permits,
                weights,
                bonds,
                step.RaoEmission
            );
            var result = YumaEpoch.Run(input);
            // Copies: the next step's actions change these arrays and an earlier output must not change with them.
            permits = (bool[])result.NewValidatorPermit.Clone();
            bonds = (U16Entry[][])result.Bonds.Clone();
            registration = (ulong[])registration.Clone();
            lastUpdate = (ulong[])lastUpdate.Clone();
            weights = (U16Entry[][])weights.Clone();
            yield return new YumaStepOutput(yumaCase.Name, k, step.Block, result);
        }
    }
}
