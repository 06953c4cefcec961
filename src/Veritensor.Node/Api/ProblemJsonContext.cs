using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace Veritensor.Node.Api;

/// <summary>Source-generated JSON for the problem details every server of the node answers errors with.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ProblemDetails))]
internal sealed partial class ProblemJsonContext : JsonSerializerContext;
