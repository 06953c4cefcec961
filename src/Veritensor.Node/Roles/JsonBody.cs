using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Veritensor.Client;

namespace Veritensor.Node.Roles;

/// <summary>
/// A JSON request body held as its bytes and read in parts: first the small fields that say who signed the request and
/// who dispatched it (the tensors are skipped over by the reader, never built into objects), then, once those signatures
/// hold, the tensors. So a stranger's unsigned body costs a role server one pass over at most Kestrel's body limit
/// (<see cref="RoleOptions.MaxRequestBytes"/>), not a tree of its tensors.
/// </summary>
internal sealed class JsonBody
{
    private readonly byte[] _utf8;

    private JsonBody(byte[] utf8) => _utf8 = utf8;

    public static JsonBody FromBytes(byte[] utf8) => new(utf8 ?? throw new ArgumentNullException(nameof(utf8)));

    /// <summary>Reads the whole body; Kestrel refuses one above its limit (413) while it is read.</summary>
    public static async Task<JsonBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            throw ApiException.BadRequest($"The body must be application/json, not {type}.");
        using var buffer = request.ContentLength is { } length and <= int.MaxValue
            ? new MemoryStream((int)length)
            : new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw ApiException.TooLarge($"The body is larger than this server's limit: {e.Message}");
        }
        catch (BadHttpRequestException e)
        {
            throw ApiException.BadRequest($"The body could not be read: {e.Message}", e);
        }
        return new JsonBody(buffer.ToArray());
    }

    /// <summary>The body read as <typeparamref name="T"/>, fields it does not name skipped; a clear 400 when it is not JSON of that shape.</summary>
    public T Read<T>(JsonTypeInfo<T> type, string what)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(type);
        try
        {
            return JsonSerializer.Deserialize(_utf8, type)
                ?? throw ApiException.BadRequest($"The body is null; send a JSON {what}.");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"The body is not a valid {what}: {e.Message}", e);
        }
    }
}
