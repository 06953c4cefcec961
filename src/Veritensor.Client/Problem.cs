using System.Text.Json;

namespace Veritensor.Client;

/// <summary>
/// An error answer of any Veritensor server: an RFC 7807 problem whose <c>code</c> member is a stable error code (the
/// one table is <c>Veritensor.Ledger.ErrorCode</c>, with its HTTP status in <c>ErrorCodes</c>). Every client reads
/// error answers with <see cref="Read"/>, so each surfaces the code the same way.
/// </summary>
public sealed record Problem(int Status, string? Code, string Detail)
{
    /// <summary>Reads an error answer's body; text that is not a problem document is kept as the detail.</summary>
    public static Problem Read(int status, string? reasonPhrase, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                var code =
                    root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String
                        ? c.GetString()
                        : null;
                var detail =
                    root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String
                        ? d.GetString()
                        : null;
                var title =
                    root.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String
                        ? t.GetString()
                        : null;
                return new Problem(status, code, detail ?? title ?? $"HTTP {status}");
            }
        }
        catch (JsonException)
        {
            // Not a problem document: report the raw text.
        }
        return new Problem(status, null, $"HTTP {status} {reasonPhrase}: {Truncate(body)}".TrimEnd(' ', ':'));
    }

    /// <summary>Reads the error answer <paramref name="response"/>.</summary>
    public static async Task<Problem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return Read((int)response.StatusCode, response.ReasonPhrase, body);
    }

    /// <summary>A body echoed into a message is cut: a hostile server must not fill a client's logs.</summary>
    private static string Truncate(string body) => body.Length <= 512 ? body : body[..512] + "…";
}
