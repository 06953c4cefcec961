using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.State;
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
            VerifierSelection.Candidates(_world.State).Select(c => c.Hotkey).Order()
        );
    }

    [Fact]
    public void Entering_or_leaving_the_verifier_index_writes_the_same_few_bytes_however_many_verifiers_it_holds()
    {
        // The attack on a bucketed index: hotkeys ground to share their first byte all land in one bucket, which each
        // registration then rewrites whole. With one slot per verifier the cost stays the same at any size.
        var minimum = _world.Parameters.MinNodeStake;
        var probe = KeyPair.FromDevelopmentName("probe-verifier");
        var firstByte = probe.Address.PublicKey[0];
        // The index stores hotkeys only, so plain 32-byte values stand in for the ground keys.
        var crowd = Enumerable
            .Range(0, 400)
            .Select(i =>
            {
                var bytes = Hash256.Compute(BitConverter.GetBytes(i)).Span.ToArray();
                bytes[0] = firstByte;
                return new Address(bytes);
            })
            .ToList();
        var probeNode = new NodeRecord(Reporter.Address, NodeRoles.Verifier, "https://probe.example", 1);
        _world.State.SetNode(probe.Address, probeNode);

        var small = Measure(probe.Address, minimum);
        foreach (var hotkey in crowd)
        {
            _world.State.SetNode(hotkey, probeNode);
            _world.State.SetHotkeyStake(hotkey, minimum);
        }
        Assert.Equal(2 + crowd.Count, _world.State.GetVerifierIndex().Count);
        var large = Measure(probe.Address, minimum);

        Assert.Equal(small, large);
        Assert.InRange(small.Enter.Bytes, 1, 400);
        Assert.InRange(small.Leave.Bytes, 1, 400);
        // After all the swaps the index still holds exactly the staked verifiers, each once, in order.
        Assert.Equal(Verifiers.Take(2).Select(v => v.Address).Concat(crowd).Order(), _world.State.GetVerifierIndex());
    }

    /// <summary>The keys and bytes written when <paramref name="hotkey"/> enters the index (stake reaches the minimum) and leaves it again.</summary>
    private ((int Keys, long Bytes) Enter, (int Keys, long Bytes) Leave) Measure(Address hotkey, Amount minimum)
    {
        // Each in a block of its own, so each notes the first change of its block (VerifierHistory).
        _world.Height++;
        var enter = new WriteCounter(_world.State);
        enter.SetHotkeyStake(hotkey, minimum);
        Assert.Contains(hotkey, _world.State.GetVerifierIndex());
        _world.Height++;
        var leave = new WriteCounter(_world.State);
        leave.SetHotkeyStake(hotkey, Amount.Zero);
        Assert.DoesNotContain(hotkey, _world.State.GetVerifierIndex());
        return ((enter.Keys, enter.Bytes), (leave.Keys, leave.Bytes));
    }

    /// <summary>Counts the keys and bytes written through it.</summary>
    private sealed class WriteCounter(IStateView inner) : IStateView
    {
        public int Keys { get; private set; }
        public long Bytes { get; private set; }

        public byte[]? Get(byte[] key) => inner.Get(key);

        public void Set(byte[] key, byte[] value)
        {
            Keys++;
            Bytes += key.Length + value.Length;
            inner.Set(key, value);
        }

        public void Delete(byte[] key)
        {
            Keys++;
            Bytes += key.Length;
            inner.Delete(key);
        }
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
