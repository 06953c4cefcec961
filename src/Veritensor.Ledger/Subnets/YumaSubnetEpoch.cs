using Veritensor.Consensus;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Execution;
using Veritensor.Ledger.State;

namespace Veritensor.Ledger.Subnets;

/// <summary>
/// The Yuma epoch on the ledger: at a subnet's epoch block it pays the subnet's pending emission. The owner gets
/// <see cref="SubnetEmission.OwnerCut"/> on its coldkey balance; the rest is the epoch's rao emission, which
/// <see cref="YumaEpoch.Run"/> splits per uid and which is credited as stake on each uid's hotkey: the miner part and the
/// delegate take to the uid's coldkey, the rest of the validator part to the hotkey's nominators (<see cref="DelegationPayout"/>).
/// Whatever integer division leaves unpaid (dust) stays pending for the next epoch, so no accrued token is lost:
/// total issuance grows by exactly what is paid, and <see cref="StateKeys.TotalMinted"/> records it.
/// </summary>
internal sealed class YumaSubnetEpoch : ISubnetEpoch
{
    public void Run(IStateView state, ushort netuid, ulong height)
    {
        ArgumentNullException.ThrowIfNull(state);
        var subnet = state.GetSubnet(netuid) ?? throw new InvalidOperationException($"There is no subnet {netuid}.");
        var emission = state.GetSubnetEmission(netuid);
        var ownerCut = SubnetEmission.OwnerCut(emission.Pending);
        var rao = emission.Pending - ownerCut;

        var neurons = new Neuron[subnet.N];
        for (ushort uid = 0; uid < subnet.N; uid++)
            neurons[uid] = state.GetNeuron(netuid, uid)
                ?? throw new InvalidOperationException($"Subnet {netuid} has no uid {uid}.");

        var paid = ownerCut;
        var validators = new List<Address>();
        if (neurons.Length > 0)
        {
            var result = YumaEpoch.Run(
                BuildInput(state, netuid, subnet, neurons, emission.LastEpochBlock, height, rao.BaseUnits)
            );
            var (consensus, incentive, dividends, trust) = (
                result.ConsensusU16,
                result.IncentiveU16,
                result.DividendsU16,
                result.ValidatorTrustU16
            );
            for (ushort uid = 0; uid < neurons.Length; uid++)
            {
                var amount = new Amount(result.Emission[uid]);
                // The validator and server parts are floored separately; the uid's emission is what is paid.
                var validatorPart = new Amount(Math.Min(result.ValidatorEmission[uid], amount.BaseUnits));
                if (amount != Amount.Zero)
                    DelegationPayout.Pay(
                        state,
                        neurons[uid].Coldkey,
                        neurons[uid].Hotkey,
                        amount - validatorPart,
                        validatorPart,
                        emission.LastEpochBlock
                    );
                paid += amount;
                if (result.NewValidatorPermit[uid])
                    validators.Add(neurons[uid].Hotkey);
                state.SetEpochOutputs(
                    netuid,
                    uid,
                    new EpochOutputs(
                        result.NewValidatorPermit[uid],
                        consensus[uid],
                        incentive[uid],
                        dividends[uid],
                        amount,
                        trust[uid]
                    )
                );
                state.SetBonds(netuid, uid, Array.ConvertAll(result.Bonds[uid], e => ((ushort)e.Column, e.Value)));
            }
        }
        // The epoch's shares are floored, so they cannot add up to more than was pending; a failure here would be a bug.
        if (paid > emission.Pending)
            throw new InvalidOperationException(
                $"Subnet {netuid} epoch at {height} would pay {paid}, more than the pending {emission.Pending}."
            );

        if (ownerCut != Amount.Zero)
        {
            var owner = state.GetAccount(subnet.Owner);
            state.SetAccount(subnet.Owner, owner with { Balance = owner.Balance + ownerCut });
        }
        state.SetTotalIssuance(state.GetTotalIssuance() + paid);
        state.SetTotalMinted(state.GetTotalMinted() + paid);
        // Measured after the payout, from stake held since the previous epoch: it weighs this subnet's emission next tempo.
        var backing = SubnetBacking.Of(state, (IEnumerable<Core.Crypto.Address>)validators, emission.LastEpochBlock);
        state.SetSubnetEmission(netuid, new SubnetEmissionState(emission.Pending - paid, height, backing));
    }

    /// <summary>What the epoch reads (yuma.md §3), taken from the state as the block's transactions left it.</summary>
    private static EpochInput BuildInput(
        IStateView state,
        ushort netuid,
        Subnet subnet,
        Neuron[] neurons,
        ulong lastEpochBlock,
        ulong height,
        ulong rao
    )
    {
        var h = subnet.Hyperparameters;
        // The owner has no hotkey of its own here; a uid whose hotkey is the owner's coldkey counts as the owner's.
        var ownerUid = state.GetUid(netuid, subnet.Owner);
        var parameters = new EpochHyperparameters(
            h.Tempo,
            h.ActivityCutoff,
            h.Kappa,
            h.BondsPenalty,
            h.BondsMovingAverage,
            h.MaxAllowedValidators,
            h.Yuma3Enabled,
            h.LiquidAlphaEnabled,
            h.AlphaLow,
            h.AlphaHigh,
            SubnetRules.AlphaSigmoidSteepness,
            SubnetRules.StakeThreshold,
            lastEpochBlock,
            ownerUid is { } owner ? owner : null
        );
        var n = neurons.Length;
        var epochIndex = EpochSchedule.EpochIndex(netuid, h.Tempo, height);
        return new EpochInput(
            n,
            height,
            parameters,
            // Stake enters as raw base units (yuma.md §3): there is no alpha here, so it is the hotkey's total stake.
            Array.ConvertAll(neurons, x => I64F64.FromUInt(state.GetHotkeyStake(x.Hotkey).BaseUnits)),
            Array.ConvertAll(neurons, x => x.RegisteredAt),
            Array.ConvertAll(neurons, x => x.LastUpdate),
            Array.ConvertAll(neurons, x => x.ValidatorPermit),
            Array.ConvertAll(neurons, x => ToEntries(state.GetWeights(netuid, x.Uid))),
            Array.ConvertAll(neurons, x => ToEntries(state.GetBonds(netuid, x.Uid))),
            rao,
            h.CommitRevealEnabled
                ? Array.ConvertAll(neurons, x =>
                    state.GetWeightCommit(netuid, x.Hotkey) is { } c
                    && SubnetExecutor.RevealEpochOf(netuid, subnet, c) >= epochIndex
                        ? c.CommittedAt
                        : (ulong?)null
                )
                : null
        );
    }

    private static U16Entry[] ToEntries(IReadOnlyList<(ushort Uid, ushort Value)> row)
    {
        var entries = new U16Entry[row.Count];
        for (var i = 0; i < row.Count; i++)
            entries[i] = new U16Entry(row[i].Uid, row[i].Value);
        return entries;
    }
}
