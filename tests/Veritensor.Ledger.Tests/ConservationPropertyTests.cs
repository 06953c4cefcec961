using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;
using Veritensor.Ledger.Genesis;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Subnets;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Tests;

/// <summary>
/// Random (seeded) blocks of transfers, stakes, unstakes and registrations among a few accounts, many of them invalid
/// (wrong nonce, low fee, zero or excessive amounts, unregistered hotkeys, hotkeys of others). After every block no token
/// has been created or destroyed except by subnet emission (balances + stakes + subnet locks = total issuance, and total
/// issuance + burned = genesis issuance + minted), subnet creations and burned neuron registrations included, and every
/// nonce moved by exactly the number of its sender's included transactions. The chain runs the Yuma epoch; after the random
/// blocks, empty blocks carry it past the subnets' first epochs, where every accrued token must be paid or still pending.
/// </summary>
[UnitTest]
public sealed class ConservationPropertyTests
{
    private static readonly KeyPair[] Senders = [Keys.Alice, Keys.Bob, Keys.Charlie, Keys.Dave, Keys.ValidatorCold];
    private static readonly KeyPair[] Hotkeys = [Keys.Validator, Keys.NodeA, Keys.NodeB];

    /// <summary>A random transaction; <c>Broken</c> says it was made invalid on purpose (so it will not use up its nonce).</summary>
    private static (SignedTransaction Tx, bool Broken) RandomTransaction(Random random, Func<Address, ulong> nextNonce)
    {
        var sender = Senders[random.Next(Senders.Length)];
        var broken = false;
        var nonce = nextNonce(sender.Address);
        switch (random.Next(12))
        {
            case 0 when nonce > 0:
                nonce--;
                broken = true;
                break;
            case 1:
                nonce++;
                broken = true;
                break;
        }
        var fee = new Amount(Tx.MinFee.BaseUnits * (ulong)random.Next(1, 20));
        if (random.Next(15) == 0)
        {
            fee = Tx.MinFee - new Amount(1);
            broken = true;
        }
        var amount = new Amount((ulong)random.NextInt64(1, 200_000_000_000));
        switch (random.Next(15))
        {
            case 0:
                amount = Amount.Zero;
                broken = true;
                break;
            case 1:
                amount = Amount.FromTokens(5000);
                broken = true;
                break;
        }
        var hotkey = random.Next(3) == 0 ? Hotkeys[random.Next(Hotkeys.Length)] : Keys.Validator;
        var roles = (NodeRoles)random.Next(1, 16);
        var endpoint = "https://n.example";
        if (random.Next(8) == 0)
        {
            (roles, endpoint) = random.Next(3) switch
            {
                0 => (NodeRoles.None, endpoint),
                1 => ((NodeRoles)random.Next(16, 256), endpoint),
                _ => (roles, "gopher://x"),
            };
            broken = true;
        }
        // A take for the validator's hotkey: valid only from its owner and at most the maximum.
        var take = (ushort)random.Next(0, DelegateTake.Max + 2_000);
        var tx = random.Next(7) switch
        {
            5 => Tx.Sign(sender, nonce, new SetDelegateTakePayload(Keys.Validator.Address, take), fee),
            0 => Tx.Transfer(sender, Senders[random.Next(Senders.Length)].Address, amount, nonce, fee),
            1 => Tx.AddStake(sender, hotkey.Address, amount, nonce, fee),
            2 => Tx.RemoveStake(sender, hotkey.Address, amount, nonce, fee),
            3 => Tx.Register(sender, RegistrationHotkey(random, sender), nonce, roles, endpoint, fee),
            4 => Tx.CreateSubnet(sender, nonce, fee),
            // Netuid 4 rarely exists; the hotkeys are shared, so some registrations meet another coldkey's hotkey.
            _ => Tx.RegisterNeuron(sender, Hotkeys[random.Next(Hotkeys.Length)], (ushort)random.Next(1, 5), nonce, fee),
        };
        if (
            tx.Transaction.Payload is SetDelegateTakePayload
            && (sender != Keys.ValidatorCold || take > DelegateTake.Max)
        )
            broken = true;
        return (tx, broken);
    }

    /// <summary>
    /// Any hotkey, except that the validator's own coldkey never re-registers the validator: it may drop the validator
    /// role, and with the only validator gone no block could be produced again (a known hazard, not what this test is about).
    /// </summary>
    private static KeyPair RegistrationHotkey(Random random, KeyPair sender)
    {
        var hotkey = Hotkeys[random.Next(Hotkeys.Length)];
        return hotkey == Keys.Validator && sender == Keys.ValidatorCold ? Keys.NodeA : hotkey;
    }

    private static Amount ReadAmount(byte[] value)
    {
        var reader = new CanonicalReader(value);
        var amount = reader.ReadAmount("amount");
        reader.EnsureEnd("amount");
        return amount;
    }

    /// <summary>Tokens held in open inference disputes (part of the issuance until the dispute pays them out).</summary>
    private static Amount Escrowed(TestChain test) =>
        test
            .Chain.Store.ScanState([StateKeys.DisputeNamespace], int.MaxValue)
            .Select(e => Veritensor.Ledger.Inference.Dispute.Decode(e.Value))
            .Where(d => d.Outcome == Veritensor.Ledger.Inference.DisputeOutcome.Pending)
            .Aggregate(Amount.Zero, (sum, d) => sum + d.Escrow);

    /// <summary>
    /// Produces empty blocks past every subnet's first epoch, then checks: balances + stakes + locks = total issuance,
    /// total issuance + burned = genesis issuance + minted, and minted + pending = what the blocks accrued: the
    /// schedule's amount for every block from the first subnet on, or, where the cap bites, exactly the cap.
    /// </summary>
    private static void AssertEmissionConserved(
        TestChain test,
        Amount genesisIssuance,
        EmissionSchedule schedule,
        bool capReached
    )
    {
        while (test.Chain.Head.Height < 400)
            test.Produce();
        // Every block from the first subnet's creation block on (accrual follows the block's transactions) accrued one emission.
        var firstSubnet = test.Chain.ReadState(view =>
            view.GetNetuids().Min(netuid => view.GetSubnet(netuid)!.CreatedAt)
        );
        var accrued = Amount.Zero;
        for (var height = firstSubnet; height <= test.Chain.Head.Height; height++)
            accrued += schedule.ScheduledAt(height);
        var stored = test.Chain.Store;
        var balances = stored
            .ScanState([StateKeys.AccountNamespace], int.MaxValue)
            .Aggregate(Amount.Zero, (sum, e) => sum + AccountState.Decode(e.Value).Balance);
        var staked = stored
            .ScanState([StateKeys.StakeNamespace], int.MaxValue)
            .Aggregate(Amount.Zero, (sum, e) => sum + ReadAmount(e.Value));
        var locked = stored
            .ScanState([StateKeys.SubnetNamespace], int.MaxValue)
            .Aggregate(Amount.Zero, (sum, e) => sum + Subnet.Decode(e.Value).Locked);
        var pending = PendingEmission(test);
        var (current, burned, minted) = test.Chain.ReadState(view =>
            (view.GetTotalIssuance(), view.GetTotalBurned(), view.GetTotalMinted())
        );
        Assert.Equal(current, balances + staked + locked + Escrowed(test));
        Assert.Equal(genesisIssuance + minted, current + burned);
        Assert.NotEqual(Amount.Zero, minted);
        if (capReached)
        {
            // Hundreds of blocks past the last burn, the clipped emission has filled the room under the cap exactly.
            Assert.True(accrued > minted + pending);
            Assert.Equal(schedule.MaxIssuance, current + pending);
        }
        else
        {
            Assert.Equal(accrued, minted + pending);
        }
    }

    private static Amount PendingEmission(TestChain test) =>
        test
            .Chain.Store.ScanState([StateKeys.SubnetEmissionNamespace], int.MaxValue)
            .Aggregate(Amount.Zero, (sum, e) => sum + SubnetEmissionState.Decode(e.Value).Pending);

    /// <summary>The genesis emission section of a named schedule: the default, halving every 40 blocks, or a cap 25 tokens above genesis issuance.</summary>
    private static GenesisEmission? EmissionSection(string schedule, Amount genesisIssuance) =>
        schedule switch
        {
            "default" => null,
            "halving" => new GenesisEmission { InitialBlockEmission = "1", HalvingInterval = 40 },
            "capped" => new GenesisEmission { MaxIssuance = (genesisIssuance + Amount.FromTokens(25)).ToString() },
            _ => throw new ArgumentOutOfRangeException(nameof(schedule)),
        };

    [Theory]
    [InlineData(1, "default")]
    [InlineData(2, "default")]
    [InlineData(3, "default")]
    [InlineData(4, "default")]
    [InlineData(5, "default")]
    [InlineData(6, "default")]
    [InlineData(7, "default")]
    [InlineData(8, "default")]
    [InlineData(1, "halving")]
    [InlineData(2, "halving")]
    [InlineData(3, "capped")]
    [InlineData(4, "capped")]
    public void Balances_plus_stakes_always_equal_total_issuance_and_nonces_advance_by_one_per_applied_transaction(
        int seed,
        string schedule
    )
    {
        var genesis = TestChain.DefaultGenesis();
        genesis.Balances.Add(new() { Address = Keys.ValidatorCold.Address.ToString(), Amount = "1000" });
        var issuance = Amount.FromTokens(TestChain.IssuanceTokens + 1000);
        genesis.Emission = EmissionSection(schedule, issuance);
        var emissionSchedule = SubnetGenesisParser.Parse(genesis, issuance).Emission;
        using var test = new TestChain(genesis);
        var random = new Random(seed);
        var totalIncluded = 0;
        var totalRejected = 0;
        var codes = new HashSet<ErrorCode>();
        var totalLocked = Amount.Zero;
        var totalBurned = Amount.Zero;
        for (var height = 1; height <= 20; height++)
        {
            var noncesBefore = Senders.ToDictionary(s => s.Address, s => test.Chain.GetAccount(s.Address).Nonce);
            var planned = new Dictionary<Address, ulong>(noncesBefore);
            var candidates = new List<SignedTransaction>();
            for (var i = random.Next(0, 20); i > 0; i--)
            {
                var (tx, broken) = RandomTransaction(random, address => planned[address]);
                // A CreateSubnet has no fields of its own, so the generator can repeat one exactly: same id, one transaction.
                if (candidates.Any(c => c.Id == tx.Id))
                    continue;
                candidates.Add(tx);
                if (!broken)
                    planned[tx.Transaction.Sender]++;
            }

            var block = test.Produce(candidates, out var rejected);
            totalIncluded += block.Transactions.Count;
            totalRejected += rejected.Count;
            foreach (var r in rejected)
                codes.Add(r.Error.Code);

            Assert.Equal(candidates.Count, block.Transactions.Count + rejected.Count);
            Assert.Equal((ulong)height, test.Chain.Head.Height);

            // Conservation, read from the durable store.
            var accounts = test.Chain.Store.ScanState([StateKeys.AccountNamespace], int.MaxValue);
            var stakes = test.Chain.Store.ScanState([StateKeys.StakeNamespace], int.MaxValue);
            var hotkeyTotals = test.Chain.Store.ScanState([StateKeys.HotkeyStakeNamespace], int.MaxValue);
            var balances = accounts.Aggregate(Amount.Zero, (sum, e) => sum + AccountState.Decode(e.Value).Balance);
            var staked = stakes.Aggregate(Amount.Zero, (sum, e) => sum + ReadAmount(e.Value));
            var locked = test
                .Chain.Store.ScanState([StateKeys.SubnetNamespace], int.MaxValue)
                .Aggregate(Amount.Zero, (sum, e) => sum + Subnet.Decode(e.Value).Locked);
            var (current, burned) = test.Chain.ReadState(view => (view.GetTotalIssuance(), view.GetTotalBurned()));
            Assert.Equal(current, balances + staked + locked + Escrowed(test));
            Assert.True(current + PendingEmission(test) <= emissionSchedule.MaxIssuance);
            // No epoch has run yet (the first falls at block 358 or later), so nothing is minted.
            Assert.Equal(issuance, current + burned);
            totalLocked = locked;
            totalBurned = burned;

            // Each hotkey's total is the sum of the stakes on it.
            var stakePerHotkey = stakes
                .GroupBy(e => Convert.ToHexString(e.Key.AsSpan(1 + Address.Size)))
                .ToDictionary(g => g.Key, g => g.Aggregate(Amount.Zero, (sum, e) => sum + ReadAmount(e.Value)));
            Assert.Equal(stakePerHotkey.Count, hotkeyTotals.Count);
            foreach (var entry in hotkeyTotals)
                Assert.Equal(stakePerHotkey[Convert.ToHexString(entry.Key.AsSpan(1))], ReadAmount(entry.Value));

            // The nominator index lists exactly the coldkeys with a stake on each hotkey, in order.
            var nominators = stakes
                .GroupBy(e => Convert.ToHexString(e.Key.AsSpan(1 + Address.Size)))
                .ToDictionary(
                    g => g.Key,
                    g =>
                        g.Select(e => Convert.ToHexString(e.Key.AsSpan(1, Address.Size)))
                            .Order(StringComparer.Ordinal)
                            .ToArray()
                );
            var index = test.Chain.Store.ScanState([StateKeys.NominatorsNamespace], int.MaxValue);
            Assert.Equal(nominators.Count, index.Count);
            foreach (var entry in index)
                Assert.Equal(
                    nominators[Convert.ToHexString(entry.Key.AsSpan(1))],
                    test.Chain.ReadState(view =>
                        view.GetNominators(new Address(entry.Key.AsSpan(1)))
                            .Select(a => Convert.ToHexString(a.PublicKey))
                            .ToArray()
                    )
                );

            // Nonces: each included transaction carries its sender's next nonce, and moves it by exactly one.
            var expectedNonce = new Dictionary<Address, ulong>(noncesBefore);
            foreach (var tx in block.Transactions)
            {
                Assert.Equal(expectedNonce[tx.Transaction.Sender], tx.Transaction.Nonce);
                expectedNonce[tx.Transaction.Sender]++;
            }
            foreach (var sender in Senders)
                Assert.Equal(expectedNonce[sender.Address], test.Chain.GetAccount(sender.Address).Nonce);

            // A rejected transaction names a reason and is not in the block.
            var included = block.Transactions.Select(t => t.Id).ToHashSet();
            Assert.All(rejected, r => Assert.DoesNotContain(r.Transaction.Id, included));
        }
        AssertEmissionConserved(test, issuance, emissionSchedule, capReached: schedule == "capped");
        // The mix must really exercise both outcomes.
        Assert.InRange(totalIncluded, 20, int.MaxValue);
        Assert.InRange(totalRejected, 20, int.MaxValue);
        Assert.NotEqual(Amount.Zero, totalLocked);
        Assert.NotEqual(Amount.Zero, totalBurned);
        Assert.Superset(
            new HashSet<ErrorCode>
            {
                ErrorCode.NonceTooLow,
                ErrorCode.NonceTooHigh,
                ErrorCode.FeeTooLow,
                ErrorCode.InsufficientBalance,
                ErrorCode.InsufficientStake,
            },
            codes
        );
    }
}
