using System.ComponentModel.DataAnnotations;

namespace FaultApi.Auth;

/// <summary>The <c>Auth</c> settings: who may call the API.</summary>
public sealed class ApiAuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The callers' bearer tokens, one a line, optionally <c>name:token</c>; reloaded when the file changes.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Auth:TokenFile is required: the file with the callers' bearer tokens (one a line, optionally name:token).")]
    public string TokenFile { get; set; } = "";
}
