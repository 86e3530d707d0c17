const express = require('express');
const { ordersRouter } = require('./routes/orders');
const { productsRouter } = require('./routes/products');

const app = express();
app.use(express.json());
app.use('/products', productsRouter);
app.use('/orders', ordersRouter);

const port = Number(process.env.PORT ?? 3000);
app.listen(port, () => console.log(`shop-api listening on ${port}`));
