using System;
using System.Collections.Generic;

namespace OAuthSmtp.Emulator.Model;

/// <summary>One resource's entry in an app's requiredResourceAccess ("API permissions" in the portal).</summary>
public sealed class RequiredResourceAccess
{
    /// <summary>The resource's appId (00000002-0000-0ff1-ce00-000000000000 for Exchange Online).</summary>
    public Guid ResourceAppId { get; set; }

    public List<ResourceAccess> ResourceAccess { get; } = new();
}

/// <summary>A permission requested: an app role (Type "Role", application permission) or a delegated scope (Type "Scope").</summary>
public sealed record ResourceAccess(Guid Id, string Type);
