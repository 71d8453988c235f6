//! Reading the builders' output: `buildah inspect`, `podman`/`docker
//! history`, untagged image lists, an OCI layout's size.

use super::*;

/// `buildah inspect --type image`: layer sizes from the stored manifest
/// (uncompressed tar streams), history from the Docker or OCI config.
pub fn parse_buildah_inspect(json: &str) -> Option<ImageInfo> {
    let v: Value = serde_json::from_str(json).ok()?;
    let manifest: Value = serde_json::from_str(v.get("Manifest")?.as_str()?).ok()?;
    let sizes: Vec<u64> = manifest
        .get("layers")?
        .as_array()?
        .iter()
        .map(|l| l.get("size").and_then(Value::as_u64))
        .collect::<Option<_>>()?;
    let history = ["Docker", "OCIv1"]
        .iter()
        .filter_map(|k| v.get(k)?.get("history")?.as_array())
        .find(|h| !h.is_empty());
    let entries: Vec<(String, bool)> = history
        .map(|h| {
            h.iter()
                .map(|e| {
                    (
                        e.get("created_by")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string(),
                        e.get("empty_layer")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Some(ImageInfo {
        layers: sizes.len(),
        history: pair_layers(&entries, &sizes),
    })
}

/// Gives each non-empty history entry the next layer's size, in order (as
/// `docker history` does). Layers with no history entry (some imported
/// images have none) get an entry with an empty `created_by`.
pub fn pair_layers(entries: &[(String, bool)], sizes: &[u64]) -> Vec<HistoryEntry> {
    let mut sizes_left = sizes.iter();
    let mut out: Vec<HistoryEntry> = entries
        .iter()
        .map(|(by, empty)| HistoryEntry {
            created_by: by.clone(),
            size: if *empty {
                0
            } else {
                sizes_left.next().copied().unwrap_or(0)
            },
            empty_layer: *empty,
        })
        .collect();
    // Layers with no history: they are the oldest (an image imported from
    // a tarball), so they go first.
    let extra: Vec<HistoryEntry> = sizes_left
        .map(|&size| HistoryEntry {
            created_by: String::new(),
            size,
            empty_layer: false,
        })
        .collect();
    if !extra.is_empty() {
        out.splice(0..0, extra);
    }
    out
}

/// `podman history --format json` (newest first) → oldest first.
pub fn parse_podman_history(json: &str) -> Option<Vec<HistoryEntry>> {
    let v: Value = serde_json::from_str(json).ok()?;
    let mut out: Vec<HistoryEntry> = v
        .as_array()?
        .iter()
        .map(|e| {
            let size = e.get("size").and_then(Value::as_u64).unwrap_or(0);
            HistoryEntry {
                created_by: e
                    .get("CreatedBy")
                    .or_else(|| e.get("createdBy"))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                size,
                empty_layer: size == 0,
            }
        })
        .collect();
    out.reverse();
    Some(out)
}

/// `docker history --human=false --format '{{json .}}'`: one JSON object
/// per line, newest first, `Size` a decimal string → oldest first.
pub fn parse_docker_history(lines: &str) -> Option<Vec<HistoryEntry>> {
    let mut out = Vec::new();
    for line in lines.lines().filter(|l| !l.trim().is_empty()) {
        let e: Value = serde_json::from_str(line).ok()?;
        let size = match e.get("Size")? {
            Value::String(s) => s.trim().parse().ok()?,
            Value::Number(n) => n.as_u64()?,
            _ => return None,
        };
        out.push(HistoryEntry {
            created_by: e
                .get("CreatedBy")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            size,
            empty_layer: size == 0,
        });
    }
    out.reverse();
    Some(out)
}

/// IDs of the untagged images in `buildah images --json` /
/// `podman images --format json` output, in listing order.
pub fn parse_untagged(json: &str) -> Option<Vec<String>> {
    let v: Value = serde_json::from_str(json).ok()?;
    let get = |e: &Value, a: &str, b: &str| e.get(a).or_else(|| e.get(b)).cloned();
    Some(
        v.as_array()?
            .iter()
            .filter(|e| {
                get(e, "names", "Names")
                    .and_then(|n| n.as_array().map(|a| a.is_empty()))
                    .unwrap_or(true)
            })
            .filter_map(|e| get(e, "id", "Id")?.as_str().map(str::to_string))
            .collect(),
    )
}

/// Sum of the layer blob sizes of the first manifest in an OCI layout.
pub fn oci_layers_size(dir: &Path) -> Option<u64> {
    let read =
        |p: PathBuf| -> Option<Value> { serde_json::from_slice(&std::fs::read(p).ok()?).ok() };
    let index = read(dir.join("index.json"))?;
    let digest = index.get("manifests")?.get(0)?.get("digest")?.as_str()?;
    let (algo, hex) = digest.split_once(':')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) || algo.contains(['/', '.']) {
        return None;
    }
    let manifest = read(dir.join("blobs").join(algo).join(hex))?;
    manifest
        .get("layers")?
        .as_array()?
        .iter()
        .map(|l| l.get("size").and_then(Value::as_u64))
        .sum()
}
