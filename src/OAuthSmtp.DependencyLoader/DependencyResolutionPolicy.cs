using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace OAuthSmtp.DependencyLoader;

/// <summary>
/// Decides, for Windows PowerShell 5.1's single load context, whether an <c>AssemblyResolve</c> request is ours to
/// answer and with which file. Plain reflection types only, so the rules are tested on any platform.
/// <list type="bullet">
/// <item>Only assemblies in our dependencies/ folder are ever answered, matched by full identity: simple name,
/// culture and public key token must be equal.</item>
/// <item>A request from our own code (the module folder, the dependencies/ folder, or an assembly whose identity is
/// one of ours) also takes our copy for an older version of the same assembly, as a binding redirect would: our
/// dependencies were built against older patch versions of their own dependencies (System.Memory and friends).</item>
/// <item>A request whose requester is unknown (.NET Framework passes none for some loads) is answered only when it
/// asks for exactly our version: another module asking for MSAL 4.61 never gets our 4.92.</item>
/// <item>A request from another module's assembly is never answered.</item>
/// </list>
/// </summary>
public sealed class DependencyResolutionPolicy
{
    private readonly Dictionary<string, DependencyFile> _dependencies;
    private readonly HashSet<string> _ownIdentities;
    private readonly string[] _ownDirectories;

    public DependencyResolutionPolicy(IEnumerable<DependencyFile> dependencies, params string[] ownDirectories)
    {
        _dependencies = new Dictionary<string, DependencyFile>(StringComparer.OrdinalIgnoreCase);
        foreach (var dependency in dependencies)
        {
            _dependencies[dependency.Name.Name ?? string.Empty] = dependency;
        }

        _ownIdentities = new HashSet<string>(_dependencies.Values.Select(d => d.Name.FullName), StringComparer.OrdinalIgnoreCase);
        _ownDirectories = ownDirectories.Select(NormalizeDirectory).ToArray();
    }

    /// <summary>The policy for the assemblies in <paramref name="dependencyDirectory"/> (files that are not assemblies are skipped).</summary>
    public static DependencyResolutionPolicy ForFolder(string dependencyDirectory, string moduleDirectory)
    {
        var files = new List<DependencyFile>();
        if (Directory.Exists(dependencyDirectory))
        {
            foreach (var path in Directory.EnumerateFiles(dependencyDirectory, "*.dll"))
            {
                try
                {
                    files.Add(new DependencyFile(AssemblyName.GetAssemblyName(path), path));
                }
                catch (BadImageFormatException)
                {
                    // A native library or a damaged file: nothing a managed resolve request can ask for.
                }
            }
        }

        return new DependencyResolutionPolicy(files, dependencyDirectory, moduleDirectory);
    }

    /// <summary>The path of our copy to load for <paramref name="requested"/>, or null when the request is not ours to answer.</summary>
    /// <param name="requested">The identity asked for (ResolveEventArgs.Name).</param>
    /// <param name="requester">The requesting assembly's identity, or null when the runtime did not say.</param>
    /// <param name="requesterLocation">Where the requesting assembly was loaded from, or null.</param>
    public string? FindPath(AssemblyName requested, AssemblyName? requester, string? requesterLocation)
    {
        if (requested.Name is null || !_dependencies.TryGetValue(requested.Name, out var ours))
        {
            return null;
        }

        if (!SameCulture(requested, ours.Name) || !SamePublicKeyToken(requested, ours.Name))
        {
            return null;
        }

        if (requester is null && string.IsNullOrEmpty(requesterLocation))
        {
            return requested.Version == ours.Name.Version ? ours.Path : null;
        }

        if (!IsOwnRequester(requester, requesterLocation))
        {
            return null;
        }

        // Our code asked: an older (or unspecified) version is served by ours, never a newer one.
        return requested.Version is null || requested.Version <= ours.Name.Version ? ours.Path : null;
    }

    private bool IsOwnRequester(AssemblyName? requester, string? location)
    {
        if (requester is not null && _ownIdentities.Contains(requester.FullName))
        {
            return true;
        }

        if (string.IsNullOrEmpty(location))
        {
            return false;
        }

        var directory = NormalizeDirectory(Path.GetDirectoryName(location) ?? string.Empty);
        return _ownDirectories.Any(own => string.Equals(own, directory, StringComparison.OrdinalIgnoreCase));
    }

    private static bool SameCulture(AssemblyName requested, AssemblyName ours) =>
        string.Equals(CultureOf(requested), CultureOf(ours), StringComparison.OrdinalIgnoreCase);

    private static string CultureOf(AssemblyName name) =>
        string.IsNullOrEmpty(name.CultureName) || string.Equals(name.CultureName, "neutral", StringComparison.OrdinalIgnoreCase)
            ? string.Empty
            : name.CultureName!;

    private static bool SamePublicKeyToken(AssemblyName requested, AssemblyName ours)
    {
        var asked = requested.GetPublicKeyToken() ?? Array.Empty<byte>();
        var have = ours.GetPublicKeyToken() ?? Array.Empty<byte>();
        return asked.SequenceEqual(have);
    }

    private static string NormalizeDirectory(string directory) =>
        directory.Length == 0 ? directory : Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
}
