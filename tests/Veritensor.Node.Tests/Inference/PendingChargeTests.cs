using Veritensor.Cli.Devnet;
using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Transactions;
using Veritensor.Sdk;

namespace Veritensor.Node.Tests.Inference;

/// <summary>
/// The ledger debits a user only when its record lands. A user whose balance covers one request must not get a second
/// one served while the first is still unrecorded (here held in a batch that is sent only once it holds two records).
/// </summary>
[NetworkTest]
public sealed class PendingChargeTests : IAsyncLifetime
{
    private InferenceNetwork _network = null!;

    public async ValueTask InitializeAsync() =>
        _network = await InferenceNetwork.StartAsync(
            (node, options) =>
            {
                if (node.Name != "gateway")
                    return;
                options.BatchSize = 2;
                options.BatchDelayMs = 60_000;
            }
        );

    public async ValueTask DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task A_balance_that_covers_one_request_gets_one_served_until_its_record_lands()
    {
        var ct = TestContext.Current.CancellationToken;
        var model = await _network.LedgerClient.FindModelAsync(DevnetInference.DemoModelName, ct);
        Assert.NotNull(model);
        using var user = KeyPair.Generate();
        var funded = model.Price + new Amount(model.Price.BaseUnits / 2);
        using (var alice = _network.User("alice"))
        {
            var sent = await _network.LedgerClient.SubmitAsync(alice, new TransferPayload(user.Address, funded), ct);
            Assert.True((await _network.LedgerClient.WaitAsync(sent, ct)).Included);
        }
        using var client = _network.Client();
        var batch = new InferenceOptions { Mode = VerificationMode.None, Record = "batch" };
        Task<VerifiedInference> InferAsync(KeyPair who, ulong nonce) =>
            client.InferAsync(
                who,
                DevnetInference.DemoModelName,
                [DevnetInference.DemoInput()],
                batch with
                {
                    Nonce = nonce,
                },
                ct
            );

        var first = await InferAsync(user, 1);
        Assert.Equal(InferenceStates.Returned, first.State);

        // The first is answered but not recorded, so the ledger still shows the whole balance: the gateway counts what
        // the user owes it.
        var second = await Assert.ThrowsAsync<InferenceClientException>(() => InferAsync(user, 2));
        Assert.Equal("InsufficientBalance", second.Code);
        Assert.Equal(402, second.StatusCode);
        Assert.Contains($"owes {model.Price}", second.Message, StringComparison.Ordinal);

        // Another user's request fills the batch; both records land and the first becomes final.
        using var bob = _network.User("bob");
        await InferAsync(bob, 3);
        var final = await client.WaitFinalAsync(first.RequestId, TimeSpan.FromSeconds(30), ct);
        Assert.Equal(InferenceStates.Final, final.State);

        // Now the ledger holds the debit, and the gateway reads it fresh instead of counting the request twice.
        var left = funded - model.Price;
        Assert.Equal(left, await LedgerReads.BalanceAsync(_network.Ledger, user.Address));
        var third = await Assert.ThrowsAsync<InferenceClientException>(() => InferAsync(user, 4));
        Assert.Equal("InsufficientBalance", third.Code);
        Assert.Contains($"holds {left}, and", third.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("owes", third.Message, StringComparison.Ordinal);
    }
}
