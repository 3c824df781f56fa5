//! A fixed-capacity inline vector for model states: states are copied on every step, and keeping
//! them free of heap allocations is what makes the search fast. Unused slots always hold
//! `T::default()`, so the derived equality and hashing see only the live elements' effect.

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Small<T: Copy + Default, const N: usize> {
    len: u8,
    items: [T; N],
}

impl<T: Copy + Default, const N: usize> Default for Small<T, N> {
    fn default() -> Self {
        Small { len: 0, items: [T::default(); N] }
    }
}

impl<T: Copy + Default + PartialEq, const N: usize> Small<T, N> {
    pub fn len(&self) -> usize {
        self.len as usize
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    pub fn as_slice(&self) -> &[T] {
        &self.items[..self.len as usize]
    }
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.as_slice().iter()
    }
    /// Append; returns false (and changes nothing) when full. Callers size `N` above what the
    /// bounds can reach, and treat a full vector as a bound the search does not go past.
    pub fn push(&mut self, x: T) -> bool {
        if self.len() == N {
            return false;
        }
        self.items[self.len()] = x;
        self.len += 1;
        true
    }
    pub fn remove(&mut self, i: usize) -> T {
        let x = self.items[i];
        let len = self.len();
        self.items.copy_within(i + 1..len, i);
        self.len -= 1;
        self.items[self.len()] = T::default();
        x
    }
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        let mut out = Self::default();
        for x in self.iter() {
            if keep(x) {
                out.push(*x);
            }
        }
        *self = out;
    }
    pub fn drain_all(&mut self) -> Small<T, N> {
        std::mem::take(self)
    }
}

impl<T: Copy + Default + PartialEq, const N: usize> std::ops::Index<usize> for Small<T, N> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        &self.as_slice()[i]
    }
}

impl<T: Copy + Default + PartialEq, const N: usize> std::ops::IndexMut<usize> for Small<T, N> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        let len = self.len();
        &mut self.items[..len][i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equality_ignores_dead_slots() {
        let mut a: Small<u8, 4> = Small::default();
        a.push(1);
        a.push(2);
        a.remove(0);
        let mut b: Small<u8, 4> = Small::default();
        b.push(2);
        assert_eq!(a, b);
        a.retain(|x| *x != 2);
        assert!(a.is_empty());
        assert_eq!(a, Small::default());
        for i in 0..3 {
            assert!(b.push(i));
        }
        assert!(!b.push(9), "full");
    }
}
