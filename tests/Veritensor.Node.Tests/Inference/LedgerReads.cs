using System.Globalization;
using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Core.Crypto;

namespace Veritensor.Node.Tests.Inference;

/// <summary>
/// Reads balances, stakes and disputes straight from the ledger node's API (not through the role servers'
/// caching client), and waits on ledger state with bounded polling instead of sleeps.
/// </summary>
internal static class LedgerReads
{
    public static async Task<Amount> BalanceAsync(TestNode ledger, Address account) =>
        new(
            ulong.Parse(
                (await ledger.Client.GetAccountAsync(account, TestContext.Current.CancellationToken)).BalanceBaseUnits,
                CultureInfo.InvariantCulture
            )
        );

    /// <summary>The stake <paramref name="owner"/> holds on <paramref name="hotkey"/> (what a slash takes a share of).</summary>
    public static async Task<Amount> StakeAsync(TestNode ledger, Address owner, Address hotkey)
    {
        var account = await ledger.Client.GetAccountAsync(owner, TestContext.Current.CancellationToken);
        var stake = account.Stakes.SingleOrDefault(s => s.Hotkey == hotkey.ToString());
        return stake is null ? Amount.Zero : Amount.ParseTokens(stake.Amount);
    }

    public static Task<DisputeResponse> DisputeAsync(TestNode ledger, Hash256 disputeId) =>
        ledger.Client.GetDisputeAsync(disputeId, TestContext.Current.CancellationToken);

    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/> holds; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var value = await read();
            if (done(value))
                return value;
            if (DateTimeOffset.UtcNow > deadline)
                Assert.Fail($"Timed out after {timeout.TotalSeconds} s waiting for {what}; last value: {value}");
            await Task.Delay(delay, TestContext.Current.CancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }
}
