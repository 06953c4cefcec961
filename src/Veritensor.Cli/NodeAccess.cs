using System.CommandLine;
using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Transactions;
using Veritensor.Node.Api;

namespace Veritensor.Cli;

/// <summary>
/// The --node option and what commands do with a node: call it (turning its errors into <see cref="CliException"/>)
/// and send signed transactions (nonce and chain id from the node, fee defaulting to the chain's minimum).
/// </summary>
internal sealed class NodeAccess
{
    public Option<string> Node { get; } = CommonOptions.Node();

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Node);
    }

    public NodeClient Client(ParseResult parseResult)
    {
        var url = parseResult.GetValue(Node)!;
        if (
            !Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        )
            throw new CliException($"--node '{url}' is not an http(s) URL such as {CommonOptions.DefaultNodeUrl}.");
        return new NodeClient(uri);
    }

    /// <summary>Runs a call against the node; its failures become <see cref="CliException"/> with the node's error code.</summary>
    public static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (NodeClientException e)
        {
            throw new CliException(e.Message, e.Code);
        }
    }

    /// <summary>
    /// Builds (the payload for the node's chain id), signs and submits a transaction from <paramref name="signer"/>;
    /// with <paramref name="wait"/>, waits for its block.
    /// </summary>
    public static async Task<TransactionStatusResponse> SendAsync(
        NodeClient client,
        KeyPair signer,
        Amount? fee,
        Func<string, TransactionPayload> payloadForChain,
        bool wait,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(payloadForChain);
        var status = await CallAsync(() => client.GetStatusAsync(cancellationToken)).ConfigureAwait(false);
        var payload = payloadForChain(status.ChainId);
        var account = await CallAsync(() => client.GetAccountAsync(signer.Address, cancellationToken))
            .ConfigureAwait(false);
        var transaction = new Transaction(
            status.ChainId,
            Hash256.Parse(status.GenesisHash),
            signer.Address,
            ulong.Parse(account.NextNonce, System.Globalization.CultureInfo.InvariantCulture),
            fee ?? Amount.ParseTokens(status.MinFee),
            payload
        ).Sign(signer);
        var submitted = await CallAsync(() => client.SubmitAsync(transaction, cancellationToken)).ConfigureAwait(false);
        if (!wait)
            return new TransactionStatusResponse(submitted.Id, submitted.Status, ApiViews.Transaction(transaction));
        // Long-poll in 30 s slices: the node answers as soon as the transaction is in a block (or dropped).
        while (true)
        {
            var result = await CallAsync(() =>
                    client.GetTransactionAsync(transaction.Id, TimeSpan.FromSeconds(30), cancellationToken)
                )
                .ConfigureAwait(false);
            if (result.Status != "pending")
                return result;
        }
    }

    public static Amount ParseAmount(string text, string option) =>
        Amount.TryParseTokens(text, out var amount, out var error)
            ? amount
            : throw new CliException($"{option}: {error}");

    public static Address ParseAddress(string text, string option) =>
        Address.TryParse(text, out var address, out var error) ? address : throw new CliException($"{option}: {error}");
}
