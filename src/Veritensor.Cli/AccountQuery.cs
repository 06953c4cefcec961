using System.CommandLine;
using Veritensor.Client;

namespace Veritensor.Cli;

/// <summary>
/// What commands that read one account share: an optional address argument that defaults to the coldkey of --wallet
/// (read from coldkeypub.txt, no password), --node, and the GET /v1/accounts call.
/// </summary>
internal sealed class AccountQuery
{
    private readonly Argument<string?> _address;
    private readonly NodeAccess _node = new();
    private readonly WalletAccess _wallet = new();

    public AccountQuery(string description) =>
        _address = new Argument<string?>("address") { Description = description, Arity = ArgumentArity.ZeroOrOne };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Arguments.Add(_address);
        _node.AddTo(command);
        _wallet.AddTo(command, hotkey: false);
    }

    public async Task<AccountResponse> FetchAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var account = parseResult.GetValue(_address) is { } text
            ? NodeAccess.ParseAddress(text, "address")
            : _wallet.ColdkeyAddress(parseResult);
        using var client = _node.Client(parseResult);
        return await NodeAccess
            .CallAsync(() => client.GetAccountAsync(account, cancellationToken))
            .ConfigureAwait(false);
    }
}
