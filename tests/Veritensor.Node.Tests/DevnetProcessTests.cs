using Veritensor.Cli.Devnet;
using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Transactions;
using Veritensor.Wallet;

namespace Veritensor.Node.Tests;

/// <summary>`veritensor devnet` as a user runs it: a real process that stops cleanly on SIGTERM, resumes, and resets.</summary>
[ProcessTest]
public sealed class DevnetProcessTests
{
    [Fact]
    public async Task Devnet_stops_cleanly_resumes_its_chain_and_starts_over_with_reset()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TestDirectory("veritensor-devnet");
        var dataDir = Path.Combine(directory.Path, ".veritensor-devnet");
        string[] arguments = ["devnet", "--data-dir", dataDir, "--port", "0", "--block-time", "50"];

        // First run: a transfer gets into a block, so the chain has moved past genesis.
        ulong heightBefore;
        var (first, url) = await NodeProcess.StartAsync(arguments, ct);
        using (first)
        using (var client = new NodeClient(new Uri(url + "/")))
        {
            Assert.True(File.Exists(Path.Combine(dataDir, "genesis.json")));
            using var alice = new WalletStore(Path.Combine(dataDir, "wallets")).LoadColdkey(
                "alice",
                DevnetLayout.Password
            );
            var bob = new WalletStore(Path.Combine(dataDir, "wallets")).ColdkeyAddress("bob");
            var tx = new Transaction(
                DevnetSetup.ChainId,
                Hash256.Parse((await client.GetStatusAsync(ct)).GenesisHash),
                alice.Address,
                0,
                new Amount(100_000),
                new TransferPayload(bob, Amount.FromTokens(7))
            ).Sign(alice);
            await client.SubmitAsync(tx, ct);
            var included = await client.GetTransactionAsync(tx.Id, TimeSpan.FromSeconds(30), ct);
            Assert.Equal("included", included.Status);
            heightBefore = ulong.Parse((await client.GetStatusAsync(ct)).Height);
            Assert.Equal(0, await first.TerminateAsync());
        }

        // Second run resumes: the block with the transfer is still there and bob kept the tokens.
        var (second, secondUrl) = await NodeProcess.StartAsync(arguments, ct);
        using (second)
        using (var client = new NodeClient(new Uri(secondUrl + "/")))
        {
            Assert.True(ulong.Parse((await client.GetStatusAsync(ct)).Height) >= heightBefore);
            var bob = new WalletStore(Path.Combine(dataDir, "wallets")).ColdkeyAddress("bob");
            Assert.Equal("1000007.000000000", (await client.GetAccountAsync(bob, ct)).Balance);
            Assert.Equal(0, await second.TerminateAsync());
        }

        // --reset starts a fresh chain.
        var (third, thirdUrl) = await NodeProcess.StartAsync([.. arguments, "--reset"], ct);
        using (third)
        using (var client = new NodeClient(new Uri(thirdUrl + "/")))
        {
            var bob = new WalletStore(Path.Combine(dataDir, "wallets")).ColdkeyAddress("bob");
            Assert.Equal("1000000.000000000", (await client.GetAccountAsync(bob, ct)).Balance);
            Assert.Equal(0, await third.TerminateAsync());
        }
    }
}
