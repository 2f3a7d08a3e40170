-- A small batch job: build a table, aggregate it, write a report.
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, amount INTEGER NOT NULL);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO orders (customer, amount) SELECT 'c' || (i % 7), i % 100 FROM n;
CREATE INDEX orders_customer ON orders (customer);
.mode list
.separator " "
SELECT 'rows', count(*) FROM orders;
SELECT 'total', sum(amount) FROM orders;
SELECT 'top', customer, sum(amount) FROM orders GROUP BY customer ORDER BY 3 DESC, 2 LIMIT 1;
PRAGMA integrity_check;
