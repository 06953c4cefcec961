using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;
using static Veritensor.Ledger.Tests.Support.InferenceWorld;

namespace Veritensor.Ledger.Tests.Inference;

/// <summary>
/// The review's listing attacks: cheap registrations crowding out the verifiers and a model's real servers. The
/// verifier index holds only verifiers with the minimum stake, and only a staked node may start serving a model.
/// </summary>
[UnitTest]
public sealed class VerifierIndexTests
{
    private readonly InferenceWorld _world = new(verifierCount: 2);

    private void Register(KeyPair owner, KeyPair hotkey, NodeRoles roles) =>
        _world.Run(owner, RegisterNodePayload.Create(ChainId, owner.Address, hotkey, roles, "https://node.example"));

    [Fact]
    public void Only_verifiers_with_the_minimum_stake_are_in_the_index_and_a_node_that_drops_the_role_leaves_it()
    {
        var index = _world.State.GetVerifierIndex();
        Assert.Equal(Verifiers.Take(2).Select(v => v.Address).Order(), index.Order());

        // Many unstaked verifier registrations cost a fee each and change nothing.
        var sybils = Enumerable.Range(0, 20).Select(i => KeyPair.FromDevelopmentName($"sybil-{i}")).ToArray();
        foreach (var sybil in sybils)
            Register(Reporter, sybil, NodeRoles.Verifier);
        Assert.Equal(index, _world.State.GetVerifierIndex());

        // Crossing the minimum enters the index; a node that drops the role leaves it.
        var minimum = _world.Parameters.MinNodeStake;
        _world.Run(Reporter, new StakePayload(TransactionKind.AddStake, sybils[0].Address, minimum));
        Assert.Contains(sybils[0].Address, _world.State.GetVerifierIndex());
        Register(Reporter, sybils[0], NodeRoles.Inference);
        Assert.DoesNotContain(sybils[0].Address, _world.State.GetVerifierIndex());
        Register(Reporter, sybils[0], NodeRoles.Verifier);
        Assert.Contains(sybils[0].Address, _world.State.GetVerifierIndex());
        // Every index entry is a candidate, and every candidate is indexed.
        Assert.Equal(
            _world.State.GetVerifierIndex().Order(),
            VerifierSelection.Candidates(_world.State, minimum).Select(c => c.Hotkey).Order()
        );
    }

    [Fact]
    public void An_unstaked_node_cannot_start_serving_a_model()
    {
        var cold = KeyPair.FromDevelopmentName("server-cold");
        var hot = KeyPair.FromDevelopmentName("server-hot");
        _world.Run(Keys.Alice, new TransferPayload(cold.Address, Amount.FromTokens(100)));
        Register(cold, hot, NodeRoles.Inference);
        var refused = _world.Rejected(
            cold,
            new ServeModelPayload(hot.Address, ModelId, true),
            ErrorCode.InsufficientStake
        );
        Assert.Contains("serving a model needs at least", refused.Message, StringComparison.Ordinal);
        _world.Run(cold, new StakePayload(TransactionKind.AddStake, hot.Address, _world.Parameters.MinNodeStake));
        _world.Run(cold, new ServeModelPayload(hot.Address, ModelId, true));
        Assert.True(_world.State.IsServing(ModelId, hot.Address));
    }
}
