//! How much memory a run may take ([`super::Config::memory_limit`]): the
//! machine's free memory, or less where the process's control group has a
//! memory limit (a container's, a Kubernetes pod's, a Slurm job's), so that
//! a run that does not fit is refused (exit 2, or an exception in Python)
//! rather than killed by the kernel halfway.

/// Bytes a new allocation may take, when the system says: the smaller of
/// Linux's MemAvailable and the room under every memory limit of this
/// process's control group and the groups above it.
pub fn available_memory() -> Option<u64> {
    let read = |path: &str| std::fs::read_to_string(path).ok();
    let system = read("/proc/meminfo").as_deref().and_then(mem_available);
    match (system, group_room(&read)) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// MemAvailable of a `/proc/meminfo`, in bytes.
fn mem_available(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Where cgroup file systems are mounted.
const ROOT: &str = "/sys/fs/cgroup";

/// The least room under the memory limits of this process's control group
/// and its ancestors, read through `read` (a path to its text): cgroup v2
/// (`memory.max`, `memory.current`) or v1 (`memory.limit_in_bytes`,
/// `memory.usage_in_bytes`). A group's usage counts the page cache, which
/// the kernel gives back before it kills: its inactive files are not
/// counted (as `kubectl top` does). `None` where no group has a limit.
fn group_room(read: &dyn Fn(&str) -> Option<String>) -> Option<u64> {
    let groups = read("/proc/self/cgroup")?;
    let mut room: Option<u64> = None;
    for line in groups.lines() {
        // `0::/path` (v2), `N:memory:/path` or `N:a,memory:/path` (v1).
        let mut fields = line.splitn(3, ':');
        let (_, controllers, path) = (fields.next()?, fields.next()?, fields.next()?);
        let (base, files) = if controllers.is_empty() {
            (
                ROOT.to_string(),
                ("memory.max", "memory.current", "inactive_file"),
            )
        } else if controllers.split(',').any(|c| c == "memory") {
            (
                format!("{ROOT}/memory"),
                (
                    "memory.limit_in_bytes",
                    "memory.usage_in_bytes",
                    "total_inactive_file",
                ),
            )
        } else {
            continue;
        };
        // The group, then each group above it up to the root.
        let mut dir = path.trim_end_matches('/').to_string();
        loop {
            let at = |file: &str| read(&format!("{base}{dir}/{file}"));
            if let Some(left) = room_in(&at, files) {
                room = Some(room.map_or(left, |r| r.min(left)));
            }
            match dir.rfind('/') {
                Some(i) => dir.truncate(i),
                None => break,
            }
        }
    }
    room
}

/// The room under one group's limit, its `files` read through `at`: the
/// limit less the usage less the inactive page cache. `None` without a
/// limit (`max`, or v1's "no limit", a number near 2^63).
fn room_in(at: &dyn Fn(&str) -> Option<String>, files: (&str, &str, &str)) -> Option<u64> {
    let number = |text: String| text.trim().parse::<u64>().ok();
    let limit = at(files.0).and_then(number).filter(|l| *l < 1 << 62)?;
    let usage = at(files.1).and_then(number).unwrap_or(0);
    let inactive = at("memory.stat")
        .and_then(|stat| {
            stat.lines().find_map(|l| {
                let (key, value) = l.split_once(' ')?;
                (key == files.2).then(|| value.trim().parse::<u64>().ok())?
            })
        })
        .unwrap_or(0);
    Some(limit.saturating_sub(usage.saturating_sub(inactive)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn files(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |p: &str| map.get(p).cloned()
    }

    #[test]
    fn meminfo_gives_bytes() {
        let info = "MemTotal:       24684000 kB\nMemAvailable:   23071228 kB\n";
        assert_eq!(mem_available(info), Some(23_071_228 * 1024));
        assert_eq!(mem_available("MemTotal: 1 kB\n"), None);
    }

    #[test]
    fn a_v2_limit_leaves_its_room_less_the_used_memory_but_not_the_cache() {
        let read = files(&[
            ("/proc/self/cgroup", "0::/kubepods/pod1/c1\n"),
            ("/sys/fs/cgroup/kubepods/pod1/c1/memory.max", "max\n"),
            ("/sys/fs/cgroup/kubepods/pod1/memory.max", "1073741824\n"),
            ("/sys/fs/cgroup/kubepods/pod1/memory.current", "300000000\n"),
            (
                "/sys/fs/cgroup/kubepods/pod1/memory.stat",
                "anon 100000000\ninactive_file 100000000\nactive_file 5\n",
            ),
        ]);
        assert_eq!(group_room(&read), Some(1_073_741_824 - 200_000_000));
    }

    #[test]
    fn the_tightest_of_nested_limits_counts() {
        let read = files(&[
            ("/proc/self/cgroup", "0::/job/step\n"),
            ("/sys/fs/cgroup/job/step/memory.max", "500\n"),
            ("/sys/fs/cgroup/job/step/memory.current", "100\n"),
            ("/sys/fs/cgroup/job/memory.max", "1000\n"),
            ("/sys/fs/cgroup/job/memory.current", "800\n"),
        ]);
        assert_eq!(group_room(&read), Some(200));
    }

    #[test]
    fn a_v1_limit_counts_and_no_limit_is_none() {
        let read = files(&[
            ("/proc/self/cgroup", "5:cpu:/a\n4:memory:/docker/x\n"),
            (
                "/sys/fs/cgroup/memory/docker/x/memory.limit_in_bytes",
                "2000\n",
            ),
            (
                "/sys/fs/cgroup/memory/docker/x/memory.usage_in_bytes",
                "1500\n",
            ),
            (
                "/sys/fs/cgroup/memory/docker/x/memory.stat",
                "cache 700\ntotal_inactive_file 400\n",
            ),
            (
                "/sys/fs/cgroup/memory/docker/memory.limit_in_bytes",
                "9223372036854771712\n",
            ),
        ]);
        assert_eq!(group_room(&read), Some(900));
        let unlimited = files(&[
            ("/proc/self/cgroup", "4:memory:/p\n0::/\n"),
            (
                "/sys/fs/cgroup/memory/p/memory.limit_in_bytes",
                "9223372036854771712\n",
            ),
            ("/sys/fs/cgroup/memory.max", "max\n"),
        ]);
        assert_eq!(group_room(&unlimited), None);
        assert_eq!(group_room(&files(&[])), None);
    }
}
