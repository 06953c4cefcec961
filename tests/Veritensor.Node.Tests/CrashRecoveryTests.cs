using Veritensor.Cli.Devnet;
using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Transactions;
using Veritensor.Wallet;

namespace Veritensor.Node.Tests;

/// <summary>
/// kill -9 of a real node process in the middle of a transfer load, repeated: every restart must resume at a
/// block at or after the last one a client saw committed, with the same hashes and state roots, every
/// confirmed transaction still in place, and no token created or lost.
/// </summary>
[ProcessTest]
public sealed class CrashRecoveryTests
{
    private const int Rounds = 10;
    private static readonly Amount Fee = new(100_000);

    [Fact]
    public async Task Node_killed_under_load_resumes_with_every_committed_block_and_the_same_state()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TestDirectory("veritensor-crash");
        var layout = DevnetSetup.Prepare(directory.Path, 0, TestNode.TestKdf);
        var store = new WalletStore(layout.WalletPath);
        var senders = new[] { "alice", "bob", "charlie" }
            .Select(name => store.LoadColdkey(name, DevnetLayout.Password))
            .ToArray();
        var watched = layout.Accounts.SelectMany(a => new[] { a.Coldkey, a.Hotkey }).Distinct().ToArray();
        var expectedTotal =
            layout.Accounts.Aggregate(Amount.Zero, (sum, a) => sum + Amount.ParseTokens(a.Balance))
            + Amount.FromTokens(1000);
        string[] arguments =
        [
            "node",
            "--data-dir",
            Path.Combine(layout.DataDir, "nodes", "validator-0"),
            "--genesis",
            layout.GenesisPath,
            "--listen",
            "http://127.0.0.1:0",
            "--block-interval",
            "20",
            "--validator-wallet",
            "validator",
            "--wallet-path",
            layout.WalletPath,
        ];
        var random = new Random(20261125);
        var confirmed = new List<(string Id, string Height)>();
        (string Height, string Hash, string StateRoot)? lastSeen = null;

        for (var round = 0; round < Rounds; round++)
        {
            var (process, url) = await NodeProcess.StartAsync(arguments, ct);
            using (process)
            using (var client = new NodeClient(new Uri(url + "/")))
            {
                // Recovery: at or past the last block a client saw, identical to it, and every confirmed transaction kept.
                if (lastSeen is { } seen)
                {
                    var status = await client.GetStatusAsync(ct);
                    Assert.True(
                        ulong.Parse(status.Height) >= ulong.Parse(seen.Height),
                        $"round {round}: height {status.Height} is below the committed {seen.Height}"
                    );
                    var block = await client.GetBlockAsync(seen.Height, ct);
                    Assert.Equal(seen.Hash, block.Hash);
                    Assert.Equal(seen.StateRoot, block.StateRoot);
                }
                foreach (var (id, height) in confirmed)
                    Assert.Equal(
                        height,
                        (await client.GetTransactionAsync(Hash256.Parse(id), cancellationToken: ct))
                            .Receipt
                            ?.BlockHeight
                    );
                Assert.Equal(expectedTotal, await TotalAsync(client, watched, ct));

                // Load, then kill -9 while transfers keep arriving and blocks are being committed every 20 ms.
                var genesis = Hash256.Parse((await client.GetStatusAsync(ct)).GenesisHash);
                var nonces = new Dictionary<Address, ulong>();
                foreach (var sender in senders)
                    nonces[sender.Address] = ulong.Parse((await client.GetAccountAsync(sender.Address, ct)).Nonce);
                var beforeKill = random.Next(20, 120);
                var afterConfirm = random.Next(0, 60);
                for (var i = 0; i < beforeKill + afterConfirm; i++)
                {
                    var sender = senders[i % senders.Length];
                    var recipient = senders[(i + 1) % senders.Length].Address;
                    var tx = new Transaction(
                        layout.ChainId,
                        genesis,
                        sender.Address,
                        nonces[sender.Address]++,
                        Fee,
                        new TransferPayload(recipient, new Amount(1_000_000 + (ulong)random.Next(1_000_000)))
                    ).Sign(sender);
                    await client.SubmitAsync(tx, ct);
                    if (i == beforeKill)
                    {
                        var included = await client.GetTransactionAsync(tx.Id, TimeSpan.FromSeconds(30), ct);
                        Assert.Equal("included", included.Status);
                        var block = await client.GetBlockAsync(included.Receipt!.BlockHeight, ct);
                        lastSeen = (block.Height, block.Hash, block.StateRoot);
                        confirmed.Add((tx.Id.ToString(), block.Height));
                    }
                }
                await process.KillHardAsync();
            }
        }

        var (final, finalUrl) = await NodeProcess.StartAsync(arguments, ct);
        using (final)
        using (var client = new NodeClient(new Uri(finalUrl + "/")))
        {
            Assert.Equal(expectedTotal, await TotalAsync(client, watched, ct));
            // The chain goes on after the last crash.
            var sender = senders[0];
            var account = await client.GetAccountAsync(sender.Address, ct);
            var tx = new Transaction(
                layout.ChainId,
                Hash256.Parse((await client.GetStatusAsync(ct)).GenesisHash),
                sender.Address,
                ulong.Parse(account.Nonce),
                Fee,
                new TransferPayload(senders[1].Address, Amount.FromTokens(1))
            ).Sign(sender);
            await client.SubmitAsync(tx, ct);
            Assert.Equal("included", (await client.GetTransactionAsync(tx.Id, TimeSpan.FromSeconds(30), ct)).Status);
            await final.KillHardAsync();
        }
        foreach (var sender in senders)
            sender.Dispose();
    }

    /// <summary>Free balances of every account that can hold tokens here, plus all stake: the genesis total if nothing was created or lost.</summary>
    /// <summary>What the watched accounts hold, plus what transactions burned (the devnet prices bytes and state).</summary>
    private static async Task<Amount> TotalAsync(NodeClient client, Address[] accounts, CancellationToken ct)
    {
        var total = Amount.ParseTokens((await client.GetEmissionAsync(ct)).TotalBurned);
        foreach (var address in accounts)
        {
            AccountResponse account = await client.GetAccountAsync(address, ct);
            total += Amount.ParseTokens(account.Balance) + Amount.ParseTokens(account.TotalStake);
        }
        return total;
    }
}
