using System.CommandLine;
using Veritensor.Cli.Commands;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Cli;

/// <summary>
/// What every command that signs a transaction shares: --fee, --wait, --node and the wallet options; loading the
/// coldkey, sending, printing the status or receipt, and exit code 1 when the transaction was dropped.
/// </summary>
internal sealed class TransactionSender
{
    private readonly Option<string?> _fee = new("--fee") { Description = "Fee in tokens (default: the chain's minimum fee)." };
    private readonly Option<bool> _wait = new("--wait") { Description = "Wait until the transaction is in a block and print its receipt." };

    public NodeAccess Node { get; } = new();
    public WalletAccess Wallet { get; } = new();

    public void AddTo(Command command, bool hotkey = true)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(_fee);
        command.Options.Add(_wait);
        Node.AddTo(command);
        Wallet.AddTo(command, hotkey);
    }

    /// <summary>Signs with the coldkey of --wallet the payload built for the node's chain (given the chain id and the coldkey).</summary>
    public async Task<int> SendAsync(ParseResult parseResult, CliContext context, Func<string, KeyPair, TransactionPayload> payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var fee = parseResult.GetValue(_fee) is { } text ? NodeAccess.ParseAmount(text, "--fee") : (Core.Amount?)null;
        using var client = Node.Client(parseResult);
        using var coldkey = Wallet.LoadColdkey(parseResult, context);
        var status = await NodeAccess.SendAsync(client, coldkey, fee, chainId => payload(chainId, coldkey), parseResult.GetValue(_wait), cancellationToken)
            .ConfigureAwait(false);
        TransactionOutput.Write(context, status);
        return status.Status == "dropped" ? 1 : 0;
    }
}
