using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Tests.Inference;

/// <summary>Verifier selection: deterministic, respects exclusion, roles and minimum stake, and is stake-weighted.</summary>
[UnitTest]
public sealed class VerifierSelectionTests
{
    private static readonly Amount MinStake = Amount.FromTokens(10);

    private static (StateOverlay State, Address[] Hotkeys) Nodes(params (ulong StakeTokens, NodeRoles Roles)[] nodes)
    {
        var state = new StateOverlay(new WorldState());
        var hotkeys = new Address[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            var hotkey = KeyPair.FromDevelopmentName($"selection-{i}").Address;
            hotkeys[i] = hotkey;
            state.SetNode(
                hotkey,
                new NodeRecord(KeyPair.FromDevelopmentName($"selection-cold-{i}").Address, nodes[i].Roles, "", 0)
            );
            state.SetHotkeyStake(hotkey, Amount.FromTokens(nodes[i].StakeTokens));
            state.RefreshVerifierIndex(hotkey);
        }
        return (state, hotkeys);
    }

    private static Hash256 SeedOf(int i) =>
        VerifierSelection.Seed(
            Hash256.Compute(BitConverter.GetBytes(i)),
            Hash256.Compute("anchor"u8),
            DrawTicket.Create("test", Hash256.Zero, KeyPair.FromDevelopmentName("gateway"))
        );

    [Fact]
    public void The_same_seed_and_state_always_give_the_same_distinct_verifiers_and_other_seeds_differ()
    {
        var (state, _) = Nodes([.. Enumerable.Repeat((100UL, NodeRoles.Verifier), 8)]);
        var first = VerifierSelection.Draw(VerifierSelection.Candidates(state), SeedOf(1), 3, new HashSet<Address>());
        Assert.Equal(
            first,
            VerifierSelection.Draw(VerifierSelection.Candidates(state), SeedOf(1), 3, new HashSet<Address>())
        );
        Assert.Equal(3, first.Distinct().Count());
        var differing = Enumerable
            .Range(2, 20)
            .Count(i =>
                !VerifierSelection
                    .Draw(VerifierSelection.Candidates(state), SeedOf(i), 3, new HashSet<Address>())
                    .SequenceEqual(first)
            );
        Assert.True(differing >= 15, $"only {differing} of 20 other seeds chose differently");
        Assert.NotEqual(
            VerifierSelection.Seed(Hash256.Zero, Hash256.Zero, Signature.Empty),
            VerifierSelection.DisputeSeed(Hash256.Zero, Hash256.Zero)
        );
    }

    [Fact]
    public void Excluded_unstaked_and_non_verifier_nodes_are_never_selected_and_the_count_caps_at_the_candidates()
    {
        var (state, hotkeys) = Nodes(
            (100, NodeRoles.Verifier),
            (100, NodeRoles.Verifier),
            (5, NodeRoles.Verifier),
            (100, NodeRoles.Inference),
            (100, NodeRoles.Verifier | NodeRoles.Inference)
        );
        var exclude = new HashSet<Address> { hotkeys[1] };
        for (var i = 0; i < 200; i++)
        {
            var chosen = VerifierSelection.Draw(VerifierSelection.Candidates(state), SeedOf(i), 5, exclude);
            Assert.Equal(new[] { hotkeys[0], hotkeys[4] }.Order(), chosen.Order());
        }
        Assert.Equal(
            new[] { hotkeys[0], hotkeys[1], hotkeys[4] }.Order(),
            VerifierSelection.Candidates(state).Select(c => c.Hotkey)
        );
        Assert.Empty(VerifierSelection.Draw(VerifierSelection.Candidates(state), SeedOf(0), 0, exclude));
    }

    [Fact]
    public void A_node_with_three_times_the_stake_is_picked_about_three_times_as_often()
    {
        var (state, hotkeys) = Nodes((100, NodeRoles.Verifier), (300, NodeRoles.Verifier), (100, NodeRoles.Verifier));
        var picks = new int[3];
        for (var i = 0; i < 6000; i++)
            picks[
                Array.IndexOf(
                    hotkeys,
                    VerifierSelection.Draw(VerifierSelection.Candidates(state), SeedOf(i), 1, new HashSet<Address>())[0]
                )
            ]++;
        // Expected 1200 / 3600 / 1200; the ratio's spread over 6000 draws is a few percent.
        Assert.InRange(picks[1] / (double)picks[0], 2.6, 3.4);
        Assert.InRange(picks[1] / (double)picks[2], 2.6, 3.4);
    }
}
