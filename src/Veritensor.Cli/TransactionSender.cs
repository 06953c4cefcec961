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
    private readonly Option<string?> _fee = new("--fee")
    {
        Description = "Fee in tokens (default: the chain's minimum fee).",
    };
    private readonly Option<bool> _wait = new("--wait")
    {
        Description = "Wait until the transaction is in a block and print its receipt.",
    };

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
    public async Task<int> SendAsync(
        ParseResult parseResult,
        CliContext context,
        Func<string, KeyPair, TransactionPayload> payload,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(payload);
        using var coldkey = Wallet.LoadColdkey(parseResult, context);
        return await SendSignedByAsync(parseResult, context, coldkey, payload, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Signs with --hotkey of --wallet (weights are the hotkey's own transactions; it pays their fee).</summary>
    public async Task<int> SendAsHotkeyAsync(
        ParseResult parseResult,
        CliContext context,
        Func<string, KeyPair, TransactionPayload> payload,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(payload);
        using var hotkey = Wallet.LoadHotkey(parseResult);
        return await SendSignedByAsync(parseResult, context, hotkey, payload, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Signs with <paramref name="signer"/> (a key the command already loaded, e.g. to sign an upload with it too).</summary>
    public async Task<int> SendSignedByAsync(
        ParseResult parseResult,
        CliContext context,
        KeyPair signer,
        Func<string, KeyPair, TransactionPayload> payload,
        CancellationToken cancellationToken
    )
    {
        var fee = parseResult.GetValue(_fee) is { } text ? NodeAccess.ParseAmount(text, "--fee") : (Core.Amount?)null;
        using var client = Node.Client(parseResult);
        var status = await NodeAccess
            .SendAsync(
                client,
                signer,
                fee,
                chainId => payload(chainId, signer),
                parseResult.GetValue(_wait),
                cancellationToken
            )
            .ConfigureAwait(false);
        TransactionOutput.Write(context, status);
        return status.Status == "dropped" ? 1 : 0;
    }
}
