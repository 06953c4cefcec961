using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Inference.Blobs;

namespace Veritensor.Node.Roles;

/// <summary>
/// GET /v1/blobs/{id}: streams a content-addressed file (a model) this server holds, so peers can fetch what
/// they lack; they check the hash themselves. Uploads (ledger nodes only) are <see cref="Api.BlobUploadApi"/>.
/// </summary>
internal static class BlobApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapGet("/blobs/{id}", (string id, BlobStore blobs) =>
        {
            if (!Hash256.TryParse(id, out var hash))
                return RoleApi.Problem(ApiException.BadRequest($"'{id}' is not a content id (64 hex characters)."));
            if (!blobs.Contains(hash))
                return RoleApi.Problem(ApiException.NotFound($"This server holds no blob {hash}."));
            return Results.File(blobs.GetPath(hash), "application/octet-stream", enableRangeProcessing: false);
        });
    }
}
