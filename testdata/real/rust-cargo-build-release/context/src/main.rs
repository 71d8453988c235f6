fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let nums = if args.is_empty() { vec![1, 22, 333] } else { args };
    let mut buf = itoa::Buffer::new();
    let total: u64 = nums.iter().sum();
    println!("sum of {} numbers = {}", nums.len(), buf.format(total));
}
