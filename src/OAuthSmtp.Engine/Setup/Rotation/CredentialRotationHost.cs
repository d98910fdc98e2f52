using System;

namespace OAuthSmtp.Engine.Setup.Rotation;

/// <summary>The cmdlet's side of a rotation: ShouldProcess per change, and the streams.</summary>
public sealed class CredentialRotationHost
{
    /// <summary>ShouldProcess(target, action): true to go ahead; -WhatIf and "No" answer false.</summary>
    public Func<string, string, bool> ShouldProcess { get; set; } = (_, _) => true;

    public Action<string> Verbose { get; set; } = _ => { };

    public Action<string> Warning { get; set; } = _ => { };

    /// <summary>Progress while the new credential is tried (status text).</summary>
    public Action<string> Progress { get; set; } = _ => { };
}
