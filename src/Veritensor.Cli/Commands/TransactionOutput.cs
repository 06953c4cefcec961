using Veritensor.Client;

namespace Veritensor.Cli.Commands;

/// <summary>How a transaction's status is shown: the same fields for transfer, stake, register and tx show.</summary>
internal static class TransactionOutput
{
    public static void Write(CliContext ctx, TransactionStatusResponse status)
    {
        var rows = new List<(string, string)> { ("id", status.Id), ("status", status.Status) };
        if (status.Transaction is { } tx)
        {
            rows.Add(("kind", tx.Kind));
            rows.Add(("sender", tx.Sender));
            rows.Add(("nonce", tx.Nonce));
            rows.Add(("fee", tx.Fee));
            if (tx.Netuid is { } netuid)
                rows.Add(("netuid", netuid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (tx.To is not null)
                rows.Add(("to", tx.To));
            if (tx.Hotkey is not null)
                rows.Add(("hotkey", tx.Hotkey));
            if (tx.Amount is not null)
                rows.Add(("amount", tx.Amount));
            if (tx.Roles is not null)
                rows.Add(("roles", string.Join(",", tx.Roles)));
            if (tx.Endpoint is not null)
                rows.Add(("endpoint", tx.Endpoint));
        }
        if (status.Receipt is { } receipt)
        {
            rows.Add(("block", receipt.BlockHeight));
            rows.Add(("block hash", receipt.BlockHash));
            rows.Add(("position", receipt.Position.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        if (status.Error is { } error)
            rows.Add(("error", $"[{error.Code}] {error.Message}"));
        ctx.WriteRecord(status, rows);
    }
}
