-- Implicit check names that collide get a number: t_check, t_check1, ...
CREATE TABLE boxes (
    w integer,
    h integer,
    d integer CHECK (d > 0) CHECK (d < 100),
    CHECK (w > h),
    CHECK (w < 1000 AND h < 1000),
    CONSTRAINT boxes_w_check CHECK (w > 0),
    CHECK (w > 1)
);
